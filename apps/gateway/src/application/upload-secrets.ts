import { sealUploadSecret, type UploadSpec } from '@vrs/contracts';
import { ApiError } from '../http/api-error';

/** The longest secret whose sealed form still fits the 512 characters the event schema allows. */
export const MAX_SEALABLE_SECRET = 350;

/** The upload object as it goes into events: its secret sealed with the deployment key (UPLOAD_SECRET_KEY). */
export function sealUploadForEvents(upload: UploadSpec, key: Buffer, field = 'upload'): UploadSpec {
  if (upload.params.accessKeySecret.length > MAX_SEALABLE_SECRET) {
    throw ApiError.badRequest(`${field}.params.accessKeySecret is longer than ${MAX_SEALABLE_SECRET} characters.`, [
      { field: `${field}.params.accessKeySecret`, message: `at most ${MAX_SEALABLE_SECRET} characters` },
    ]);
  }
  return sealUploadSecret(upload, key);
}
