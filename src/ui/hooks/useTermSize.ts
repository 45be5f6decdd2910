import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

/** The terminal's size, following resizes (SIGWINCH arrives as the stream's 'resize'). */
export function useTermSize(): { cols: number; lines: number } {
  const { stdout } = useStdout();
  const read = () => ({ cols: stdout.columns || 80, lines: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const on = () => setSize(read());
    stdout.on('resize', on);
    return () => {
      stdout.off('resize', on);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stdout]);
  return size;
}
