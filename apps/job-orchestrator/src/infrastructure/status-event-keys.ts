import { OutputUrls, uploadSecretKey } from '@vrs/contracts';
import { loadOrchestratorConfig } from '../config';

/** What status events need beyond the job: the signer of public output URLs and the key that seals webhook targets. */
export interface StatusEventKeys {
  publicUrls: OutputUrls;
  sealKey: Buffer;
}

let fromConfig: StatusEventKeys | undefined;

/**
 * Read once from the configuration: a JobStore is made per transaction by every handler, and these are
 * deployment-wide. `orchestratorModule` calls it at start, so a bad value stops the service early.
 */
export function statusEventKeys(): StatusEventKeys {
  if (!fromConfig) {
    const config = loadOrchestratorConfig();
    fromConfig = { publicUrls: new OutputUrls(config.publicOutputBaseUrl, config.OUTPUT_URL_SECRET), sealKey: uploadSecretKey() };
  }
  return fromConfig;
}
