// Test data: valid GB 11643 ID numbers of 沈丘县 (411624), with the check
// digit computed here by the standard's rule (ISO 7064 MOD 11-2),
// independently of the C code under test.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

// birth: YYYYMMDD; seq: 0–999 (odd for a man, even for a woman).
export function idOf(birth, seq) {
  const body = `411624${birth}${String(seq).padStart(3, '0')}`;
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * WEIGHTS[i], 0);
  return body + '10X98765432'[sum % 11];
}

// The same number with a wrong check digit.
export function wrongCheck(id) {
  return id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
}
