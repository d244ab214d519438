/**
 * How the plan's text output is coloured: ANSI on a terminal, plain text elsewhere. Shared by every renderer of
 * the plan (the tree, the destroy order, the neighbour report, the release waves and the update plan).
 */

/** ANSI styling, or none (not a TTY, or NO_COLOR set). */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
}

const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export const COLOR: Style = { bold: ansi(1, 22), dim: ansi(2, 22), green: ansi(32, 39), yellow: ansi(33, 39), red: ansi(31, 39) };
export const PLAIN: Style = { bold: (t) => t, dim: (t) => t, green: (t) => t, yellow: (t) => t, red: (t) => t };

/** Colour only on a terminal, and never when NO_COLOR is set (no-color.org). */
export function chooseStyle(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Style {
  return stream.isTTY === true && !env.NO_COLOR ? COLOR : PLAIN;
}
