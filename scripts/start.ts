/**
 * `npm start`: the whole system on this machine, no cloud account needed.
 *   npm start                       in-memory DynamoDB Local
 *   npm start -- --persist .data    keep data across restarts
 * Ports: PORT (3000), DYNAMODB_PORT (8000), SES_PORT (8005). API key: TACTFUL_API_KEY (dev-key).
 */
import { parseArgs } from 'node:util';
import { LocalServiceError } from '../functions/local/services';
import { startLocalSystem } from '../functions/local/system';
import { describeDueWork } from '../functions/local/dueWorkReport';

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`${name} must be a port number (0-65535), got "${raw}"`);
    process.exit(2);
  }
  return port;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { persist: { type: 'string' }, 'no-seed': { type: 'boolean' } }, strict: true });
  process.env['POWERTOOLS_LOG_LEVEL'] ??= 'WARN';
  // Lambda runs Node 22; locally Node 20 is supported and the lockfile pins SDK versions that run on it.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  console.log('tactful: starting DynamoDB Local, the SES inbox and the API…');
  const system = await startLocalSystem({
    port: portFromEnv('PORT', 3000),
    dynamodbPort: portFromEnv('DYNAMODB_PORT', 8000),
    sesPort: portFromEnv('SES_PORT', 8005),
    persistDir: values.persist,
    seedDemo: !values['no-seed'],
    // Every background sweep that sent or held something says so: a first email held by quiet hours
    // at night is explained, not silently missing.
    onDueWork: (report) => console.log(`tactful: ${describeDueWork(report, process.env['DEFAULT_TIME_ZONE'] ?? 'Europe/Warsaw')}`),
  });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\ntactful: ${signal} received, stopping…`);
    system.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('tactful: stop failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const { url, sesUrl, apiKey } = system;
  console.log(`
tactful is running (data: ${values.persist ? `persisted in ${values.persist}` : 'in memory'})

  API             ${url}   (GET /health, POST /events, GET|POST /dev/clock)
  Inbox           ${sesUrl}   (every email sent locally)
  Console         ${url}/admin   (sign in with ${system.adminKey})
  Integrations    ${url}/integrations/shopify       (Shopify webhook secret: ${system.integrationEnv.SHOPIFY_WEBHOOK_SECRET})
                  ${url}/integrations/woocommerce   (WooCommerce webhook secret: ${system.integrationEnv.WOOCOMMERCE_WEBHOOK_SECRET})
                  ${url}/v1/batch                   (Segment / RudderStack write key: ${system.integrationEnv.SEGMENT_WRITE_KEY})
                  ${url}/integrations/segment       (Segment Webhooks shared secret: ${system.integrationEnv.SEGMENT_SHARED_SECRET})
  DynamoDB Local  ${system.dynamodbEndpoint}
  Templates       ${system.published.templates.map((t) => `${t.name}@${t.version}`).join(', ')}
  Demo customers  demo-emma (en), demo-anna (pl), demo-ivan (ru), all with cart-reminder consent

Try it: put something in Anna's cart, then move the clock an hour ahead:

  curl -s -X POST ${url}/events -H 'content-type: application/json' -H 'x-api-key: ${apiKey}' -d '{"events":[{"id":"evt-1","type":"cart.updated","customerId":"demo-anna","occurredAt":"'$(date -u +%Y-%m-%dT%H:%M:%SZ)'","data":{"cartId":"cart-1","cartUrl":"https://shop.example.com/cart","items":[{"sku":"MUG-1","name":"Kubek","price":39.9,"currency":"PLN","qty":2}]}}]}'
  curl -s -X POST ${url}/dev/clock -H 'content-type: application/json' -H 'x-api-key: ${apiKey}' -d '{"advanceBy":"PT1H"}'

The clock's answer says what was sent, held (with the time it goes out, e.g. after quiet hours,
21:00–08:00 in the customer's zone) or skipped, and why. Then open ${sesUrl} to read the email.
Ctrl-C stops everything.
`);
}

main().catch((error: unknown) => {
  if (error instanceof LocalServiceError) console.error(`tactful: ${error.message}`);
  else console.error('tactful: failed to start', error);
  process.exit(1);
});
