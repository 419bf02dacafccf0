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

// 统一社会信用代码 (GB 32100): 登记管理部门码 and 机构类别码 (kind, e.g. '91'
// for an enterprise), the region (e.g. 411624), the 8 characters of a GB 11714
// organisation code with its check character (MOD 11), and the final check
// character (MOD 31), computed here by the standards' rules.
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

export function usccOf(body8, { kind = '91', region = '411624' } = {}) {
  const orgSum = [...body8].reduce((acc, c, i) => acc + parseInt(c, 36) * ORG_WEIGHTS[i], 0);
  const orgCheck = (11 - (orgSum % 11)) % 11;
  const body = `${kind}${region}${body8}${orgCheck === 10 ? 'X' : String(orgCheck)}`;
  const sum = [...body].reduce((acc, c, i) => acc + USCC_CHARS.indexOf(c) * USCC_WEIGHTS[i], 0);
  return body + USCC_CHARS[(31 - (sum % 31)) % 31];
}

// The same code with a wrong final check character.
export function wrongUsccCheck(code) {
  const i = USCC_CHARS.indexOf(code[17]);
  return code.slice(0, 17) + USCC_CHARS[(i + 1) % 31];
}
