/**
 * The send Lambda's entry: it initializes from its environment alone and answers a batch. A polluted
 * prototype no longer ends the container (Handlebars' runtime reads own properties only, so templates
 * cannot show what pollution added: test/unit/handlebarsRendering.test.ts).
 */
const ENV = {
  CUSTOMERS_TABLE: 'customers',
  CATALOG_TABLE: 'catalog',
  FROM_ADDRESS: 'shop@example.com',
  PUBLIC_BASE_URL: 'https://example.com',
  AWS_REGION: 'eu-central-1',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

describe('send Lambda entry', () => {
  const saved = { ...process.env };
  beforeAll(() => Object.assign(process.env, ENV));
  afterAll(() => {
    process.env = saved;
  });

  it('answers an empty batch with no failures, and keeps its container when a prototype is polluted', async () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation(() => undefined as never);
    try {
      const { handler } = await import('../../functions/lambda/send');
      await expect(handler({ Records: [] } as never)).resolves.toEqual({ batchItemFailures: [] });
      (Object.prototype as Record<string, unknown>)['polluted'] = 'x';
      try {
        await expect(handler({ Records: [] } as never)).resolves.toEqual({ batchItemFailures: [] });
      } finally {
        delete (Object.prototype as Record<string, unknown>)['polluted'];
      }
      expect(exit).not.toHaveBeenCalled();
    } finally {
      exit.mockRestore();
    }
  });
});
