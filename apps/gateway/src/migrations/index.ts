import { CreateGatewayTables1764300000200 } from './1764300000200-create-gateway-tables';
import { CreateWebhookAttemptViews1764300000210 } from './1764300000210-create-webhook-attempt-views';
import { CreateTemplates1764300000220 } from './1764300000220-create-templates';
import { CreateBatches1764300000230 } from './1764300000230-create-batches';
import { CreateIdempotencyKeys1796110635750 } from './1796110635750-create-idempotency-keys';
import { AddJobViewWarnings1796110710458 } from './1796110710458-add-job-view-warnings';

/** The gateway's migrations in order (the messaging tables are added by dataSourceOptions). */
export const GATEWAY_MIGRATIONS = [
  CreateGatewayTables1764300000200, CreateWebhookAttemptViews1764300000210, CreateTemplates1764300000220, CreateBatches1764300000230,
  CreateIdempotencyKeys1796110635750, AddJobViewWarnings1796110710458,
];
