import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isoNow } from '../adapters/clock';
import { AdminStore } from '../adapters/dynamo/adminStore';
import { AuthoringStore } from '../adapters/dynamo/authoringStore';
import { checkTemplateOffThread } from '../adapters/templateCheck/offThread';
import { makeAdminApiHandler, type AdminApiDeps } from '../handlers/adminApiHandler';
import { makeConsoleHandler } from '../handlers/console/consoleHandler';
import type { HttpHandler } from '../handlers/http';
import { folderValidator } from '../publishing/draftFolder';
import { validateTemplateInFolder } from '../publishing/folderChecks';
import { listTemplateNames, templatesDir } from '../publishing/templateSource';
import type { AppConfig } from '../shared/config';
import { RateLimiter } from '../lib/rateLimiter';
import { UnknownTemplateError } from '../usecases/templates';
import type { LocalSystemOptions } from './systemOptions';

/** What the admin function is given locally besides the stores every function shares. */
type Shared = Omit<
  AdminApiDeps,
  'checkTemplate' | 'authoring' | 'changes' | 'templateValidator' | 'requireApproval' | 'testSendAllowlist'
> & {
  config: AppConfig;
};

/**
 * The admin function locally: its API and its console, as functions/lambda/admin.ts wires them on AWS,
 * plus the working copy of templates/ (the console validates and publishes it; the Lambda has none).
 */
export function localAdmin(
  deps: Shared & { local: { doc: DynamoDBDocumentClient; catalogTable: string; options: LocalSystemOptions; sessionKey: Buffer } },
): { adminApi: HttpHandler; adminConsole: HttpHandler } {
  const { local, ...shared } = deps;
  const { doc, catalogTable, options, sessionKey } = local;
  const adminDeps: AdminApiDeps = {
    ...shared,
    // Publishing compiles and renders the samples on a worker thread: a slow template never holds this process.
    checkTemplate: checkTemplateOffThread,
    authoring: new AuthoringStore(doc, catalogTable),
    changes: new AdminStore(doc, catalogTable),
    templateValidator: folderValidator,
    requireApproval: options.requireApproval ?? shared.config.requireApproval,
    // Locally mail stays in the local inbox: anywhere, unless TEST_SEND_ALLOWLIST says otherwise.
    testSendAllowlist: options.testSendAllowlist ?? shared.config.testSendAllowlist,
  };
  const templateFolder = templatesDir(options.templatesRoot);
  const adminConsole = makeConsoleHandler({
    ...adminDeps,
    // Locally the console also validates and publishes the working copy in templates/.
    // Only a folder listed there: a name such as `../x` never reaches the file system.
    drafts: {
      names: () => listTemplateNames(templateFolder),
      validate: async (name) => {
        if (!listTemplateNames(templateFolder).includes(name)) throw new UnknownTemplateError(name, 'templates/ has no folder named');
        return validateTemplateInFolder(templateFolder, name, isoNow(shared.clock));
      },
    },
    secureCookies: false,
    sessionKey: async () => sessionKey,
    ...(options.previewsPerMinute ? { previewLimiter: new RateLimiter(options.previewsPerMinute, 60_000) } : {}),
    ...(options.consoleIdentityProvider ? { identityProvider: options.consoleIdentityProvider } : {}),
  });
  return { adminApi: makeAdminApiHandler(adminDeps), adminConsole };
}
