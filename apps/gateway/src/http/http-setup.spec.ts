import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Body, Controller, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { setUpHttp } from './http-setup';

@Controller()
class EchoController {
  @Post('echo')
  echo(@Body() body: unknown) {
    return { body };
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

describe('setUpHttp', () => {
  it('answers JSON with a request id and without an ETag (nobody revalidates API answers)', async () => {
    const app = await NestFactory.create(EchoModule, { logger: false, bodyParser: false });
    setUpHttp(app, 1024);
    await app.listen(0, '127.0.0.1');
    try {
      const { port } = app.getHttpServer().address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
      expect(res.status).toBe(201);
      expect(await res.json()).toEqual({ body: { a: 1 } });
      expect(res.headers.get('x-request-id')).toMatch(/^[\w-]{36}$/);
      expect(res.headers.get('etag')).toBeNull();
    } finally {
      await app.close();
    }
  });
});
