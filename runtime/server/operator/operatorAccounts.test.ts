import { describe, expect, it } from 'vitest';
import { hashPassword, parseOperatorAccounts, verifyPassword } from './operatorAccounts.ts';

describe('operator accounts', () => {
  it('hashes with scrypt and a fresh salt; only the right password verifies; a malformed hash never does', async () => {
    const [a, b] = await Promise.all([hashPassword('s3cret pass'), hashPassword('s3cret pass')]);
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('s3cret pass', a)).toBe(true);
    expect(await verifyPassword('s3cret pas', a)).toBe(false);
    expect(await verifyPassword('s3cret pass', 'scrypt$1$1$1$x$y')).toBe(false);
    expect(await verifyPassword('s3cret pass', 'plain')).toBe(false);
  });

  it('says which entry and field of the file is wrong', () => {
    const ok = { id: 'sam', name: 'Sam', queues: ['billing'], password: 'scrypt$x' };
    expect(parseOperatorAccounts({ operators: [ok] }, 'ops.json')).toEqual([ok]);
    expect(() => parseOperatorAccounts([], 'ops.json')).toThrow('operator accounts ops.json: the top level must be { "operators": [ … ] }');
    expect(() => parseOperatorAccounts({ operators: [ok, { ...ok }] }, 'ops.json')).toThrow('operators[1].id "sam" is given twice');
    expect(() => parseOperatorAccounts({ operators: [{ ...ok, queues: [] }] }, 'ops.json')).toThrow('operators[0].queues must list the queues');
    expect(() => parseOperatorAccounts({ operators: [{ ...ok, password: 'hunter2' }] }, 'ops.json')).toThrow('operators[0].password must be a hash made by `bot-assistant operator hash-password`');
    expect(() => parseOperatorAccounts({ operators: [{ ...ok, id: '../x' }] }, 'ops.json')).toThrow('operators[0].id must be letters');
  });
});
