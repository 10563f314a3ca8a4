// The sha256 of a rendered file is computed once for the manifest and the writer's journal, and anew for new content.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { digestOf } from '../generator/render/digest.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('digestOf', () => {
  it('is the sha256 of the UTF-8 content, and follows a file whose content was replaced', () => {
    const file = { path: 'a.yaml', content: 'a: 1\n' };
    assert.equal(digestOf(file), sha256('a: 1\n'));
    assert.equal(digestOf(file), sha256('a: 1\n'));
    file.content = 'a: 2 ü\n';
    assert.equal(digestOf(file), sha256('a: 2 ü\n'));
  });
});
