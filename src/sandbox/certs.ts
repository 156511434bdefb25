// A certificate for HTTPS on loopback. It is its own CA: clients trust it through
// NODE_EXTRA_CA_CERTS or the `ca` option, never by turning verification off.

import { generate } from 'selfsigned';

export interface LoopbackCertificate {
  readonly cert: string;
  readonly key: string;
  /** The PEM to trust (the certificate itself). */
  readonly ca: string;
}

/** `commonName`: a second loopback server needs its own, or TLS, trusting two self-signed
 * certificates of one name, may check against the wrong one. */
export async function generateLoopbackCertificate(commonName = 'localhost'): Promise<LoopbackCertificate> {
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private, ca: pems.cert };
}
