/**
 * The SDK's logger middleware filters every request's input and every response for sensitive fields
 * before it hands them to the client's logger, and does so even for the default logger, which
 * discards them: each BatchGetItem's items and each email's parts walked field by field per request,
 * a few percent of the send path's CPU. Nothing here gives the SDK a logger (what is logged is ours,
 * and nothing personal), so the middleware goes.
 */
export function withoutSdkLogger<Client extends { middlewareStack: { remove(name: string): boolean } }>(client: Client): Client {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}
