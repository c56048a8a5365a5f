/**
 * The names of the environment variables the functions read. The CDK stack (infra/) sets them and
 * configFromEnv (config.ts) or secretString (lambda/secrets.ts) reads them: one spelling, so a rename is
 * a compile error on both sides instead of a function that fails at its first request.
 */
export const ENV = {
  // Tables, bus, queue
  customersTable: 'CUSTOMERS_TABLE',
  catalogTable: 'CATALOG_TABLE',
  eventBusName: 'EVENT_BUS_NAME',
  sendQueueUrl: 'SEND_QUEUE_URL',
  broadcastQueueUrl: 'BROADCAST_QUEUE_URL',
  // Sending
  fromAddress: 'FROM_ADDRESS',
  publicBaseUrl: 'PUBLIC_BASE_URL',
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  sesUntrackedConfigurationSet: 'SES_UNTRACKED_CONFIGURATION_SET',
  capRules: 'CAP_RULES',
  quietHours: 'QUIET_HOURS',
  // Broadcasts (docs/broadcasts.md)
  sesMaxSendRate: 'SES_MAX_SEND_RATE',
  broadcastScanSegments: 'BROADCAST_SCAN_SEGMENTS',
  // The shop's look
  shopName: 'SHOP_NAME',
  shopPostalAddress: 'SHOP_POSTAL_ADDRESS',
  shopLogoUrl: 'SHOP_LOGO_URL',
  shopBrandColor: 'SHOP_BRAND_COLOR',
  shopSupportAddress: 'SHOP_SUPPORT_ADDRESS',
  defaultTimeZone: 'DEFAULT_TIME_ZONE',
  // Consent
  optOutCountries: 'OPT_OUT_COUNTRIES',
  trackingOptOutCountries: 'TRACKING_OPT_OUT_COUNTRIES',
  unsubscribeScope: 'UNSUBSCRIBE_SCOPE',
  policyVersion: 'CONSENT_POLICY_VERSION',
  // Authoring and the console
  requireApproval: 'REQUIRE_APPROVAL',
  testSendAllowlist: 'TEST_SEND_ALLOWLIST',
  cognitoUserPoolId: 'COGNITO_USER_POOL_ID',
  cognitoClientId: 'COGNITO_CLIENT_ID',
  cognitoDomain: 'COGNITO_DOMAIN',
  // Platforms' mapping (docs/integrations.md#configuration)
  shopifySecretPrefix: 'SHOPIFY_SECRET_PREFIX',
  shopifyConsentTopics: 'SHOPIFY_CONSENT_TOPICS',
  segmentConsentTraits: 'SEGMENT_CONSENT_TRAITS',
  cartUrlTemplate: 'CART_URL_TEMPLATE',
  defaultCurrency: 'DEFAULT_CURRENCY',
  // Secrets Manager ARNs (read through lambda/secrets.ts, cached per container)
  tokenKeySecretArn: 'TOKEN_KEY_SECRET_ARN',
  consoleKeySecretArn: 'CONSOLE_KEY_SECRET_ARN',
  adminKeySecretArn: 'ADMIN_KEY_SECRET_ARN',
  shopApiKeysSecretArn: 'SHOP_API_KEYS_SECRET_ARN',
  woocommerceSecretArn: 'WOOCOMMERCE_SECRET_ARN',
  segmentSharedSecretArn: 'SEGMENT_SHARED_SECRET_ARN',
  segmentWriteKeySecretArn: 'SEGMENT_WRITE_KEY_SECRET_ARN',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];
