// Creates a HubSpot contact from the customer of a new Shopify order.
// Trigger: shopify.orders records with header X-Shopify-Topic: orders/create (see contact-from-order.json).
const HUBSPOT = 'https://api.hubapi.com';

export class Workflow {
  async start(data, headers, api) {
    const { token, error } = await api.getOAuthToken('my-hubspot');
    if (error) {
      throw new Error(`No HubSpot token: ${error}`);
    }

    const customer = data.customer ?? {};
    const email = customer.email ?? data.email;
    if (!email) {
      console.warn(`Order ${data.name} has no customer email; nothing to do`);
      return;
    }

    const response = await fetch(`${HUBSPOT}/crm/v3/objects/contacts`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        properties: {
          email,
          firstname: customer.first_name,
          lastname: customer.last_name,
        },
      }),
    });

    if (!response.ok) {
      throw new Error(`HubSpot answered ${response.status}: ${await response.text()}`);
    }
    const contact = await response.json();
    console.log(`Created contact ${contact.id} for ${email} (order ${data.name})`);
  }
}
