// Creates a closed-won HubSpot deal for every new Shopify order.
// Trigger: shopify.orders records with header X-Shopify-Topic: orders/create (see deal-from-order.json).
// Pipelines and stages must be HubSpot's internal ids ('default', 'closedwon'), not labels such as 'Closed Won'.
const HUBSPOT = 'https://api.hubapi.com';

export class Workflow {
  async start(data, headers, api) {
    const { token, error } = await api.getOAuthToken('my-hubspot');
    if (error) {
      throw new Error(`No HubSpot token: ${error}`);
    }

    const { name, total_price: amount, currency } = data;
    const response = await fetch(`${HUBSPOT}/crm/v3/objects/deals`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        properties: {
          dealname: `Order ${name}`,
          amount,
          pipeline: 'default',
          dealstage: 'closedwon',
        },
      }),
    });

    if (!response.ok) {
      throw new Error(`HubSpot answered ${response.status}: ${await response.text()}`);
    }
    const deal = await response.json();
    console.log(`Created deal ${deal.id} "Order ${name}" over ${amount} ${currency ?? ''}`.trim());
  }
}
