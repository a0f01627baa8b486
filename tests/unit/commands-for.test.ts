/** Which commands a run gives Clipanion (commandsFor): every command its input can reach, and no fewer. */
import { describe, expect, it } from '@jest/globals';
import { COMMANDS, commandsFor } from '../../src/cli/commands/index.js';

describe('commandsFor', () => {
  it('gives every command to the input each of its paths starts', () => {
    for (const command of COMMANDS)
      for (const path of command.paths ?? []) expect(commandsFor([...path, '--json'])).toContain(command);
  });

  it('gives every command to an input that starts with an option: --help lists them all', () => {
    expect(commandsFor(['--help'])).toBe(COMMANDS);
    expect(commandsFor(['-h'])).toBe(COMMANDS);
  });

  it("gives a group's commands alone, and every command to an input no command's first word matches", () => {
    expect(commandsFor(['usage', 'status']).map((command) => command.paths)).toEqual([
      [['usage', 'status']],
      [['usage', 'enable']],
      [['usage', 'disable']],
      [['usage', 'flush']],
      [['usage', 'log']],
    ]);
    expect(commandsFor(['usagee', 'status'])).toBe(COMMANDS);
    expect(commandsFor([])).toBe(COMMANDS);
  });

  it('gives completion every command, which it lists', () => {
    expect(commandsFor(['completion', 'bash'])).toBe(COMMANDS);
  });
});
