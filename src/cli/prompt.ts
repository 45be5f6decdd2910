import * as readline from 'node:readline';

/**
 * docker's confirmation prompt: the question on stdout, one line from stdin, yes only for y/Y.
 * No input (a closed or empty stdin) means no, so scripts never delete by accident.
 */
export async function confirm(question: string): Promise<boolean> {
  process.stdout.write(`${question} [y/N] `);
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(''));
    });
    return /^[yY]$/.test(answer.trim());
  } finally {
    rl.close();
    process.stdin.pause();
  }
}
