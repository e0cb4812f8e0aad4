import { CreateGatewayTables1764300000200 } from './1764300000200-create-gateway-tables';
import { CreateWebhookAttemptViews1764300000210 } from './1764300000210-create-webhook-attempt-views';
import { CreateTemplates1764300000220 } from './1764300000220-create-templates';
import { CreateBatches1764300000230 } from './1764300000230-create-batches';
import { CreateUploads1796110473929 } from './1796110473929-create-uploads';
import { IndexBatchesByTenant1796110609154 } from './1796110609154-index-batches-by-tenant';
import { CreateIdempotencyKeys1796110635750 } from './1796110635750-create-idempotency-keys';
import { AddJobViewWarnings1796110710458 } from './1796110710458-add-job-view-warnings';
import { AddUploadLeases1796113902794 } from './1796113902794-add-upload-leases';
import { AddJobViewResults1796122180100 } from './1796122180100-add-job-view-results';

/** The gateway's migrations in order (the messaging tables are added by dataSourceOptions). */
export const GATEWAY_MIGRATIONS = [
  CreateGatewayTables1764300000200,
  CreateWebhookAttemptViews1764300000210,
  CreateTemplates1764300000220,
  CreateBatches1764300000230,
  CreateUploads1796110473929,
  CreateIdempotencyKeys1796110635750,
  AddJobViewWarnings1796110710458,
  AddUploadLeases1796113902794,
  IndexBatchesByTenant1796110609154,
  AddJobViewResults1796122180100,
];
