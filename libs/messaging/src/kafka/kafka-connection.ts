import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { z } from 'zod';

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

/** How to reach the brokers: the bootstrap list, and TLS and SASL when the cluster asks for them. */
export interface KafkaConnection {
  brokers: string[];
  /** TLS: `ca` replaces Node's public roots when given; `cert` + `key` for mutual TLS. */
  ssl?: { ca?: string; cert?: string; key?: string; passphrase?: string };
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
}

export class KafkaSettingsError extends Error {}

const MASK = '***';

const optionalText = z.string().trim().min(1).optional().catch(undefined);

/** The raw variables; cross-variable rules and the files are checked in `parseKafkaConnection`. */
const kafkaEnvSchema = z.object({
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform((v) =>
      v
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    )
    .refine((list) => list.length > 0 && list.every((b) => /^[^:\s]+:\d+$/.test(b)), 'must be a comma-separated list of host:port'),
  KAFKA_SSL: z
    .string()
    .trim()
    .toLowerCase()
    .default('false')
    .refine((v) => v === 'true' || v === 'false', 'must be true or false')
    .transform((v) => v === 'true'),
  KAFKA_SSL_CA_FILE: optionalText,
  KAFKA_SSL_CERT_FILE: optionalText,
  KAFKA_SSL_KEY_FILE: optionalText,
  KAFKA_SSL_KEY_PASSWORD: optionalText,
  KAFKA_SASL_MECHANISM: z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || ['plain', 'scram-sha-256', 'scram-sha-512'].includes(v), 'must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512')
    .transform((v) => v as SaslMechanism | undefined),
  KAFKA_SASL_USERNAME: optionalText,
  KAFKA_SASL_PASSWORD: z.string().min(1).optional().catch(undefined),
});

type KafkaEnv = z.infer<typeof kafkaEnvSchema>;

const PEM_KINDS = { certificate: /-----BEGIN CERTIFICATE-----/, 'private key': /-----BEGIN [A-Z ]*PRIVATE KEY-----/ } as const;

/** Reads a PEM file named by `variable`; a problem is reported against the variable, never with the file's content. */
function readPem(variable: string, path: string, kind: keyof typeof PEM_KINDS, problems: string[]): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(`${variable}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    return undefined;
  }
  if (!PEM_KINDS[kind].test(text)) {
    problems.push(`${variable}: ${path} holds no PEM ${kind}`);
    return undefined;
  }
  return text;
}

function tlsSettings(env: KafkaEnv, problems: string[]): KafkaConnection['ssl'] {
  const files = {
    KAFKA_SSL_CA_FILE: env.KAFKA_SSL_CA_FILE,
    KAFKA_SSL_CERT_FILE: env.KAFKA_SSL_CERT_FILE,
    KAFKA_SSL_KEY_FILE: env.KAFKA_SSL_KEY_FILE,
    KAFKA_SSL_KEY_PASSWORD: env.KAFKA_SSL_KEY_PASSWORD,
  };
  if (!env.KAFKA_SSL) {
    // A TLS setting without KAFKA_SSL=true would silently connect in plain text.
    for (const [name, value] of Object.entries(files)) if (value) problems.push(`${name}: needs KAFKA_SSL=true`);
    return undefined;
  }
  if (Boolean(env.KAFKA_SSL_CERT_FILE) !== Boolean(env.KAFKA_SSL_KEY_FILE)) {
    problems.push(env.KAFKA_SSL_CERT_FILE ? 'KAFKA_SSL_KEY_FILE: required with KAFKA_SSL_CERT_FILE' : 'KAFKA_SSL_CERT_FILE: required with KAFKA_SSL_KEY_FILE');
  }
  if (env.KAFKA_SSL_KEY_PASSWORD && !env.KAFKA_SSL_KEY_FILE) problems.push('KAFKA_SSL_KEY_PASSWORD: needs KAFKA_SSL_KEY_FILE');
  const ssl: NonNullable<KafkaConnection['ssl']> = {};
  if (env.KAFKA_SSL_CA_FILE) ssl.ca = readPem('KAFKA_SSL_CA_FILE', env.KAFKA_SSL_CA_FILE, 'certificate', problems);
  if (env.KAFKA_SSL_CERT_FILE) ssl.cert = readPem('KAFKA_SSL_CERT_FILE', env.KAFKA_SSL_CERT_FILE, 'certificate', problems);
  if (env.KAFKA_SSL_KEY_FILE) ssl.key = readPem('KAFKA_SSL_KEY_FILE', env.KAFKA_SSL_KEY_FILE, 'private key', problems);
  if (env.KAFKA_SSL_KEY_PASSWORD) ssl.passphrase = env.KAFKA_SSL_KEY_PASSWORD;
  return maskedInLogs(ssl, ['key', 'passphrase']);
}

function saslSettings(env: KafkaEnv, problems: string[]): KafkaConnection['sasl'] {
  if (!env.KAFKA_SASL_MECHANISM) {
    for (const name of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const) if (env[name]) problems.push(`${name}: needs KAFKA_SASL_MECHANISM`);
    return undefined;
  }
  if (!env.KAFKA_SASL_USERNAME) problems.push(`KAFKA_SASL_USERNAME: required with KAFKA_SASL_MECHANISM`);
  if (!env.KAFKA_SASL_PASSWORD) problems.push(`KAFKA_SASL_PASSWORD: required with KAFKA_SASL_MECHANISM`);
  return maskedInLogs({ mechanism: env.KAFKA_SASL_MECHANISM, username: env.KAFKA_SASL_USERNAME ?? '', password: env.KAFKA_SASL_PASSWORD ?? '' }, ['password']);
}

/**
 * Secrets stay plain properties (kafkajs copies the TLS options with Object.assign), but the object
 * shows them masked when it is turned into JSON or printed, so a stray log line leaks nothing.
 */
function maskedInLogs<T extends object>(target: T, secrets: Array<keyof T & string>): T {
  const masked = () => Object.fromEntries(Object.entries(target).map(([key, value]) => [key, secrets.includes(key as keyof T & string) ? MASK : value]));
  Object.defineProperty(target, 'toJSON', { value: masked, enumerable: false });
  Object.defineProperty(target, inspect.custom, { value: masked, enumerable: false });
  return target;
}

/**
 * The one reader of the Kafka settings (KAFKA_BROKERS, KAFKA_SSL*, KAFKA_SASL*), for every service and
 * script that talks to the broker. Returns the problems instead of throwing, each naming its
 * variable, so a service can report them with its other settings.
 */
export function parseKafkaConnection(env: NodeJS.ProcessEnv): { connection?: KafkaConnection; problems: string[] } {
  const parsed = kafkaEnvSchema.safeParse(env);
  if (!parsed.success) return { problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) };
  const problems: string[] = [];
  const ssl = tlsSettings(parsed.data, problems);
  const sasl = saslSettings(parsed.data, problems);
  if (problems.length > 0) return { problems };
  return { connection: { brokers: parsed.data.KAFKA_BROKERS, ...(ssl && { ssl }), ...(sasl && { sasl }) }, problems };
}

/** `parseKafkaConnection` for scripts: throws one error listing every problem. */
export function kafkaConnectionFromEnv(env: NodeJS.ProcessEnv = process.env): KafkaConnection {
  const { connection, problems } = parseKafkaConnection(env);
  if (!connection) throw new KafkaSettingsError(`Invalid Kafka settings: ${problems.join('; ')}`);
  return connection;
}

/** What the connection uses, for a start-up log line: no secret, no file content. */
export function describeKafkaConnection(connection: KafkaConnection): Record<string, unknown> {
  return {
    brokers: connection.brokers,
    tls: connection.ssl ? { ownCa: Boolean(connection.ssl.ca), clientCertificate: Boolean(connection.ssl.cert) } : false,
    sasl: connection.sasl ? { mechanism: connection.sasl.mechanism, username: connection.sasl.username } : false,
  };
}
