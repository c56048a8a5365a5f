import { createDocumentClient } from '../../functions/adapters/dynamo/documentClient';
import { createSesClient } from '../../functions/adapters/ses/mailer';

const loggingSteps = (stack: { identify(): string[] }) => stack.identify().filter((step) => /logger/i.test(step));

describe('SDK clients', () => {
  // If an SDK release renames the middleware, removing it by name would quietly do nothing: this says so.
  it('carry no logger middleware, which would filter every request and response for a logger that discards them', () => {
    expect(loggingSteps(createDocumentClient({ region: 'eu-west-1' }).middlewareStack)).toEqual([]);
    expect(loggingSteps(createSesClient({ region: 'eu-west-1' }).middlewareStack)).toEqual([]);
  });
});
