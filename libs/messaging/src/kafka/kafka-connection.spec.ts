import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { kafkaClientConfig } from './kafka-client';
import { describeKafkaConnection, kafkaConnectionFromEnv, parseKafkaConnection } from './kafka-connection';

const dir = mkdtempSync(join(tmpdir(), 'kafka-connection-'));
const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIE-the-key\n-----END PRIVATE KEY-----\n';
const caFile = join(dir, 'ca.pem');
const certFile = join(dir, 'client.pem');
const keyFile = join(dir, 'client.key');
writeFileSync(caFile, CERT);
writeFileSync(certFile, CERT);
writeFileSync(keyFile, KEY);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const problemsOf = (env: NodeJS.ProcessEnv) => parseKafkaConnection(env).problems;

describe('parseKafkaConnection', () => {
  it('defaults to the local plaintext broker', () => {
    expect(kafkaConnectionFromEnv({})).toEqual({ brokers: ['127.0.0.1:9092'] });
  });

  it('reads TLS with a CA file, a client certificate and SASL', () => {
    const connection = kafkaConnectionFromEnv({
      KAFKA_BROKERS: 'b-1.example:9096, b-2.example:9096',
      KAFKA_SSL: 'TRUE',
      KAFKA_SSL_CA_FILE: caFile,
      KAFKA_SSL_CERT_FILE: certFile,
      KAFKA_SSL_KEY_FILE: keyFile,
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'vrs',
      KAFKA_SASL_PASSWORD: 'pa ss',
    });
    expect(connection.brokers).toEqual(['b-1.example:9096', 'b-2.example:9096']);
    expect(connection.ssl).toEqual({ ca: CERT, cert: CERT, key: KEY });
    expect(connection.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'vrs', password: 'pa ss' });
    const client = kafkaClientConfig({ ...connection, clientId: 'x' });
    expect(client.ssl).toBe(connection.ssl);
    expect(client.sasl).toBe(connection.sasl);
  });

  it('uses the public roots when TLS is on without a CA file', () => {
    expect(kafkaConnectionFromEnv({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'key', KAFKA_SASL_PASSWORD: 'secret' }).ssl).toEqual(
      {},
    );
  });

  it('names the variable of each problem', () => {
    expect(problemsOf({ KAFKA_SSL: 'yes' })).toEqual(['KAFKA_SSL: must be true or false']);
    expect(problemsOf({ KAFKA_SASL_MECHANISM: 'GSSAPI' })).toEqual(['KAFKA_SASL_MECHANISM: must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512']);
    expect(problemsOf({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u' })).toEqual(['KAFKA_SASL_PASSWORD: required with KAFKA_SASL_MECHANISM']);
    expect(problemsOf({ KAFKA_SASL_PASSWORD: 'p' })).toEqual(['KAFKA_SASL_PASSWORD: needs KAFKA_SASL_MECHANISM']);
    expect(problemsOf({ KAFKA_SSL_CA_FILE: caFile })).toEqual(['KAFKA_SSL_CA_FILE: needs KAFKA_SSL=true']);
    expect(problemsOf({ KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: certFile })).toEqual(['KAFKA_SSL_KEY_FILE: required with KAFKA_SSL_CERT_FILE']);
    expect(problemsOf({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: join(dir, 'missing.pem') })).toEqual([
      `KAFKA_SSL_CA_FILE: cannot read ${join(dir, 'missing.pem')} (ENOENT)`,
    ]);
    expect(problemsOf({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: keyFile })).toEqual([`KAFKA_SSL_CA_FILE: ${keyFile} holds no PEM certificate`]);
    expect(problemsOf({ KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: certFile, KAFKA_SSL_KEY_FILE: caFile })).toEqual([
      `KAFKA_SSL_KEY_FILE: ${caFile} holds no PEM private key`,
    ]);
    expect(() => kafkaConnectionFromEnv({ KAFKA_BROKERS: 'nope' })).toThrow(
      'Invalid Kafka settings: KAFKA_BROKERS: must be a comma-separated list of host:port',
    );
  });

  it('never shows the password or the private key when logged', () => {
    const connection = kafkaConnectionFromEnv({
      KAFKA_SSL: 'true',
      KAFKA_SSL_CERT_FILE: certFile,
      KAFKA_SSL_KEY_FILE: keyFile,
      KAFKA_SSL_KEY_PASSWORD: 'key-pass',
      KAFKA_SASL_MECHANISM: 'scram-sha-256',
      KAFKA_SASL_USERNAME: 'vrs',
      KAFKA_SASL_PASSWORD: 'hunter2-secret',
    });
    for (const shown of [JSON.stringify(connection), inspect(connection, { depth: 5 }), JSON.stringify(describeKafkaConnection(connection))]) {
      expect(shown).not.toMatch(/hunter2-secret|the-key|key-pass/);
      expect(shown).toContain('vrs');
    }
    expect(connection.ssl?.passphrase).toBe('key-pass');
  });
});
