// examples/workflows/contact-from-order.js, written for at-least-once delivery as the executor's README advises: a
// delivery that runs a second time (after an executor died mid-batch, or a partition moved) finds the contact it
// created the first time and succeeds instead of failing on HubSpot's 409.
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

    if (response.status === 409) {
      console.log(`Contact for ${email} exists already: delivery ${headers['X-JSW-Idempotency-Key']} ran before`);
      return;
    }
    if (!response.ok) {
      throw new Error(`HubSpot answered ${response.status}: ${await response.text()}`);
    }
    const contact = await response.json();
    console.log(`Created contact ${contact.id} for ${email} (order ${data.name})`);
  }
}
