/**
 * HTTPS in front of a stand-in: a certificate authority made at test time (as a company's own
 * CA would be), a server certificate it signs for the names a test uses, and a TLS server on
 * 127.0.0.1 that hands each decrypted connection to the plain-HTTP stand-in behind it.
 */
import { writeFileSync } from 'node:fs';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { createServer, type Server } from 'node:tls';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TestCa {
  /** The CA certificate's file, for NODE_EXTRA_CA_CERTS. */
  readonly certFile: string;
  readonly key: string;
  readonly cert: string;
}

/** A new CA, its certificate written under `dir`. */
export async function makeCa(dir: string): Promise<TestCa> {
  const ca = await generate([{ name: 'commonName', value: 'Arcade test CA' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const certFile = join(dir, 'test-ca.pem');
  writeFileSync(certFile, ca.cert);
  return { certFile, key: ca.private, cert: ca.cert };
}

export class TlsFront {
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Serves TLS for `names` (DNS names; 127.0.0.1 too) with a certificate `ca` signs, forwarding to `backendUrl`. */
  static async start(ca: TestCa, names: readonly string[], backendUrl: string): Promise<TlsFront> {
    const leaf = await generate([{ name: 'commonName', value: names[0] ?? 'localhost' }], {
      keySize: 2048,
      algorithm: 'sha256',
      ca: { key: ca.key, cert: ca.cert },
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [...names.map((value) => ({ type: 2 as const, value })), { type: 7, ip: '127.0.0.1' }],
        },
      ],
    });
    const backend = new URL(backendUrl);
    let front: TlsFront | undefined;
    const server = createServer({ key: leaf.private, cert: leaf.cert }, (client) => {
      const upstream = connect(Number(backend.port), backend.hostname);
      for (const socket of [client, upstream]) {
        front!.sockets.add(socket);
        socket.on('close', () => front!.sockets.delete(socket));
        socket.on('error', () => undefined); // either side may hang up first; the other is closed with it
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    server.on('tlsClientError', () => undefined); // a client that does not trust the certificate hangs up: what a test may want
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    front = new TlsFront(server, (server.address() as AddressInfo).port);
    return front;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
