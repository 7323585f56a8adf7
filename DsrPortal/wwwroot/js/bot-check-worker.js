// Finds the answer to the portal's bot check: the first number n for which SHA-256("<challenge>:<n>")
// starts with `difficulty` zero bits. Runs in a worker so the page stays responsive meanwhile.
'use strict';

const K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const w = new Int32Array(64);

function ror(x, n) {
    return (x >>> n) | (x << (32 - n));
}

// The first 32 bits of the digest suffice for difficulties up to 32; the rest follow only when all are zero.
function sha256(bytes) {
    const length = bytes.length;
    const total = ((length + 9 + 63) >> 6) << 6;
    const block = new Uint8Array(total);
    block.set(bytes);
    block[length] = 0x80;
    const view = new DataView(block.buffer);
    view.setUint32(total - 8, Math.floor(length / 0x20000000));
    view.setUint32(total - 4, (length << 3) >>> 0);
    let h0 = 0x6a09e667, h1 = 0xbb67ae85, h2 = 0x3c6ef372, h3 = 0xa54ff53a;
    let h4 = 0x510e527f, h5 = 0x9b05688c, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
    for (let offset = 0; offset < total; offset += 64) {
        for (let i = 0; i < 16; i++) {
            w[i] = view.getInt32(offset + i * 4);
        }
        for (let i = 16; i < 64; i++) {
            const x = w[i - 15], y = w[i - 2];
            const s0 = ror(x, 7) ^ ror(x, 18) ^ (x >>> 3);
            const s1 = ror(y, 17) ^ ror(y, 19) ^ (y >>> 10);
            w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
        }
        let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
        for (let i = 0; i < 64; i++) {
            const t1 = (h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
            const t2 = ((ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
            h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
        }
        h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0;
        h4 = (h4 + e) | 0; h5 = (h5 + f) | 0; h6 = (h6 + g) | 0; h7 = (h7 + h) | 0;
    }
    return [h0, h1, h2, h3, h4, h5, h6, h7];
}

function leadingZeroBits(digest) {
    let bits = 0;
    for (const word of digest) {
        if (word !== 0) {
            return bits + Math.clz32(word);
        }
        bits += 32;
    }
    return bits;
}

self.onmessage = event => {
    const { challenge, difficulty } = event.data;
    const encoder = new TextEncoder();
    const prefix = encoder.encode(challenge + ':');
    const buffer = new Uint8Array(prefix.length + 20);
    buffer.set(prefix);
    for (let n = 0; ; n++) {
        const digits = encoder.encode(String(n));
        buffer.set(digits, prefix.length);
        if (leadingZeroBits(sha256(buffer.subarray(0, prefix.length + digits.length))) >= difficulty) {
            self.postMessage({ answer: String(n) });
            return;
        }
    }
};
