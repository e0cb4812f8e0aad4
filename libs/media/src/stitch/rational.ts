/** An exact ratio such as a frame rate (30000/1001) or a time base (1/15360). */
export interface Rational {
  num: number;
  den: number;
}

/** Parses ffprobe's "30000/1001" or "2:1"; undefined for "0/0", "N/A" and other unusable values. */
export function parseRational(text: string | undefined): Rational | undefined {
  const match = /^(\d+)[/:](\d+)$/.exec(text ?? '');
  if (!match) return undefined;
  const num = Number(match[1]);
  const den = Number(match[2]);
  if (num <= 0 || den <= 0) return undefined;
  return reduced(num, den);
}

export function toNumber(value: Rational): number {
  return value.num / value.den;
}

export function sameRational(a: Rational, b: Rational): boolean {
  return a.num * b.den === b.num * a.den;
}

/** num/den in lowest terms. */
export function reduced(num: number, den: number): Rational {
  const divisor = gcd(num, den);
  return { num: num / divisor, den: den / divisor };
}

export function formatRational(value: Rational): string {
  return value.den === 1 ? String(value.num) : `${value.num}/${value.den}`;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
