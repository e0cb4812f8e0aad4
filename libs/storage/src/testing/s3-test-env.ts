import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { requireInfrastructure } from '@vrs/testing';

/** The local S3 server of scripts/infra/s3.sh (start it first: bash scripts/infra/s3.sh start). */
export const S3_TEST = {
  endpoint: process.env.S3_ENDPOINT ?? 'http://127.0.0.1:9000',
  region: process.env.S3_REGION ?? 'us-east-1',
  accessKeyId: process.env.S3_ACCESS_KEY_ID ?? 'vrs-local',
  secretAccessKey: process.env.S3_SECRET_ACCESS_KEY ?? 'vrs-local-secret',
};

export function testS3Client(): S3Client {
  requireInfrastructure('the S3 server');
  return new S3Client({
    endpoint: S3_TEST.endpoint,
    region: S3_TEST.region,
    credentials: { accessKeyId: S3_TEST.accessKeyId, secretAccessKey: S3_TEST.secretAccessKey },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Creates a bucket with a unique name; `drop` empties and removes it. */
export async function createTestBucket(client: S3Client, label: string): Promise<{ bucket: string; drop: () => Promise<void> }> {
  const bucket = `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket })).catch((error) => {
    throw new Error(`The S3 test server at ${S3_TEST.endpoint} did not answer (${error.message}); start it with: bash scripts/infra/s3.sh start`);
  });
  return {
    bucket,
    drop: async () => {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      for (const object of listed.Contents ?? []) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key }));
      await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    },
  };
}
