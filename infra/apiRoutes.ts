import { HttpMethod, type HttpApi, type HttpRouteIntegration } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ApiRoute } from '../functions/handlers/routes';

/** Gives API Gateway the routes the functions declare (functions/handlers/routes.ts). */
export function addApiRoutes(api: HttpApi, routes: readonly ApiRoute[], integration: HttpRouteIntegration): void {
  for (const route of routes) api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
}
