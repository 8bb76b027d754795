/** The ZIP writer read back by Python's zipfile (CRC checked by testzip, modes from external_attr) and unzip. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32, zipArchive } from '../../src/io/zip';

test('crc32 matches the check value of CRC-32/ISO-HDLC', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
});

test('zipArchive is read back by Python zipfile with the same bytes, CRCs and modes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-zip-'));
  try {
    const random = randomBytes(5000); // incompressible
    const entries = [
      { name: 'run_autograder', data: '#!/usr/bin/env bash\necho hi\n', mode: 0o755 },
      { name: 'a/b/text.txt', data: 'héllo '.repeat(1000) }, // deflated
      { name: 'a/random.bin', data: random },
      { name: 'empty', data: '' },
    ];
    const file = path.join(dir, 'x.zip');
    fs.writeFileSync(file, zipArchive(entries));
    const py = `import zipfile, json, sys
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps([[i.filename, i.external_attr >> 16, i.compress_type, z.read(i).hex()] for i in z.infolist()]))`;
    const got = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, file], { encoding: 'utf8' })) as [string, number, number, string][];
    assert.deepEqual(got.map((g) => g[0]), entries.map((e) => e.name));
    for (const [i, e] of entries.entries()) {
      assert.equal(got[i][3], Buffer.from(e.data).toString('hex'), e.name);
      assert.equal(got[i][1], 0o100000 | (e.mode ?? 0o644), e.name);
    }
    assert.equal(got[1][2], 8, 'repetitive text is deflated');
    assert.equal(got[2][2], 0, 'incompressible data is stored');
    const listing = execFileSync('/usr/bin/python3', ['-m', 'zipfile', '-l', file], { encoding: 'utf8' });
    assert.match(listing, /run_autograder/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('zipArchive refuses names that would unpack outside the folder, and duplicates', () => {
  for (const name of ['/etc/x', '../x', 'a/../../x', 'a//b', '']) assert.throws(() => zipArchive([{ name, data: '' }]), /relative/);
  assert.throws(() => zipArchive([{ name: 'a', data: '' }, { name: 'a', data: '' }]), /duplicate entry 'a'/);
});
