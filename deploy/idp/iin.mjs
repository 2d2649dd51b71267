// IIN (ЖСН / ИИН), the 12-digit individual identification number of Kazakhstan, as the Rust
// type `tyndau_ids::Iin` validates it:
//
//   digits 1-6   birth date YYMMDD
//   digit 7      century and sex: 1/2 = 1800s male/female, 3/4 = 1900s, 5/6 = 2000s
//   digits 8-11  a serial
//   digit 12     check digit: weights 1..11 over the first 11 digits, sum mod 11; if that is 10,
//                weights 3,4,5,6,7,8,9,10,11,1,2, sum mod 11; if still 10 the number is never
//                issued (choose another serial).
//
// Used by server.mjs (demo accounts) and smoke.mjs (checking the claims). No dependencies.

const WEIGHTS_FIRST = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const WEIGHTS_SECOND = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/** Check digit for the first 11 digits (array of numbers), or null when both passes give 10. */
export function checkDigit(first11) {
  const remainder = (weights) => first11.reduce((sum, d, i) => sum + d * weights[i], 0) % 11;
  const first = remainder(WEIGHTS_FIRST);
  if (first !== 10) return first;
  const second = remainder(WEIGHTS_SECOND);
  return second === 10 ? null : second;
}

function pad(n, width) {
  return String(n).padStart(width, '0');
}

/** A calendar date {year, month, day} as YYYY-MM-DD. */
export function formatDate({ year, month, day }) {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function isCalendarDate(year, month, day) {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days;
}

/** Parses a YYYY-MM-DD string into {year, month, day}, or throws. */
export function parseDate(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text));
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${JSON.stringify(text)}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isCalendarDate(year, month, day)) throw new Error(`not a calendar date: ${text}`);
  return { year, month, day };
}

/**
 * Validates an IIN. Returns {birthdate: 'YYYY-MM-DD', sex: 'male'|'female'}; throws an Error
 * saying what is wrong otherwise.
 */
export function parseIin(iin) {
  if (typeof iin !== 'string' || !/^\d{12}$/.test(iin)) {
    throw new Error('an IIN is exactly 12 digits');
  }
  const d = [...iin].map(Number);
  const centuries = { 1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000 };
  const century = centuries[d[6]];
  if (century === undefined) throw new Error("the IIN's century and sex digit must be 1 to 6");
  const year = century + d[0] * 10 + d[1];
  const month = d[2] * 10 + d[3];
  const day = d[4] * 10 + d[5];
  if (!isCalendarDate(year, month, day)) {
    throw new Error("the IIN's first six digits are not a valid birth date");
  }
  if (checkDigit(d.slice(0, 11)) !== d[11]) throw new Error("the IIN's check digit does not match");
  return { birthdate: formatDate({ year, month, day }), sex: d[6] % 2 === 1 ? 'male' : 'female' };
}

/**
 * Builds a valid IIN for a birth date ({year, month, day}), sex ('male' | 'female') and a
 * 4-digit serial. When the serial gives no check digit, the next serials are tried (wrapping at
 * 9999), so the result is deterministic for the same inputs.
 */
export function makeIin(birth, sex, serial) {
  const { year, month, day } = birth;
  if (!isCalendarDate(year, month, day)) throw new Error('makeIin: not a calendar date');
  if (year < 1800 || year > 2099) throw new Error('makeIin: year out of the IIN range');
  if (sex !== 'male' && sex !== 'female') throw new Error('makeIin: sex must be male or female');
  if (!/^\d{4}$/.test(String(serial))) throw new Error('makeIin: serial must be 4 digits');
  const centuryDigit = { 18: 1, 19: 3, 20: 5 }[Math.floor(year / 100)] + (sex === 'female' ? 1 : 0);
  const head = `${pad(year % 100, 2)}${pad(month, 2)}${pad(day, 2)}${centuryDigit}`;
  let s = Number(serial);
  for (let tries = 0; tries < 10000; tries += 1, s = (s + 1) % 10000) {
    const first11 = [...`${head}${pad(s, 4)}`].map(Number);
    const check = checkDigit(first11);
    if (check !== null) {
      const iin = `${head}${pad(s, 4)}${check}`;
      parseIin(iin); // belt and braces: never hand out an IIN our own validator refuses
      return iin;
    }
  }
  throw new Error('makeIin: no serial gives a check digit');
}

/** Whole years of age on `today` ({year, month, day}) for a birth date ({year, month, day}). */
export function ageOn(birth, today) {
  let age = today.year - birth.year;
  if (today.month < birth.month || (today.month === birth.month && today.day < birth.day)) {
    age -= 1;
  }
  return age;
}

/** Today's date in UTC as {year, month, day}. */
export function todayUtc(now = new Date()) {
  return { year: now.getUTCFullYear(), month: now.getUTCMonth() + 1, day: now.getUTCDate() };
}

/** The date `years` years before `today`; 29 February becomes 28 February in common years. */
export function yearsBefore(today, years) {
  const year = today.year - years;
  let { day } = today;
  if (!isCalendarDate(year, today.month, day)) day = 28;
  return { year, month: today.month, day };
}
