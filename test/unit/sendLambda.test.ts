/**
 * The send Lambda's entry: a polluted prototype ends the container, so that Lambda starts a clean one
 * (every render refuses until then, and the batch's messages come back to the queue).
 */
const ENV = {
  CUSTOMERS_TABLE: 'customers',
  CATALOG_TABLE: 'catalog',
  FROM_ADDRESS: 'shop@example.com',
  PUBLIC_BASE_URL: 'https://example.com',
  AWS_REGION: 'eu-central-1',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

describe('send Lambda entry (endIfPolluted, which the admin function shares)', () => {
  const saved = { ...process.env };
  beforeAll(() => Object.assign(process.env, ENV));
  afterAll(() => {
    process.env = saved;
  });

  it('ends the container after a batch once a prototype is polluted, and not before', async () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation(() => undefined as never);
    try {
      const { handler } = await import('../../functions/lambda/send');
      await handler({ Records: [] } as never);
      expect(exit).not.toHaveBeenCalled();
      (Object.prototype as Record<string, unknown>)['polluted'] = 'x';
      try {
        await handler({ Records: [] } as never);
      } finally {
        delete (Object.prototype as Record<string, unknown>)['polluted'];
      }
      expect(exit).toHaveBeenCalledWith(1);
    } finally {
      exit.mockRestore();
    }
  });
});
