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

// GB 32100 统一社会信用代码 from its first 16 characters (登记管理部门 and
// 机构类别 2, 行政区划 6, the 8-character body of the 组织机构代码): adds the
// GB 11714 check character of the organisation code (weights 3 7 9 10 5 8 4 2,
// mod 11) and the GB 32100 check character (weights 3^i mod 31 over its 31
// characters), both computed here by the standards' rules.
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export function usccOf(body16) {
  if (!/^[0-9A-HJ-NPQRTUWXY]{16}$/.test(body16)) throw new Error(`not a USCC body: ${body16}`);
  const org = body16.slice(8);
  const w11 = [3, 7, 9, 10, 5, 8, 4, 2];
  const sum11 = [...org].reduce((acc, c, i) => acc + parseInt(c, 36) * w11[i], 0);
  const c9 = 11 - (sum11 % 11);
  const body17 = body16 + (c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9));
  let w = 1;
  let sum = 0;
  for (const c of body17) {
    sum += USCC_CHARS.indexOf(c) * w;
    w = (w * 3) % 31;
  }
  return body17 + USCC_CHARS[(31 - (sum % 31)) % 31];
}
