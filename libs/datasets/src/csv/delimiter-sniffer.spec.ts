import { sniffDelimiter } from './delimiter-sniffer';

describe('sniffDelimiter', () => {
  it.each([
    [',', 'a,b,c\n1,2,3\n'],
    [';', 'a;b\n1,5;2,5\n3;4\n'],
    ['\t', 'name\tnote\nx\ty, z\n'],
    ['|', 'a|b|c\n1|2|3\n'],
    [';', 'a;b\n"1;0,5";2\n"3,4";5\n'],
    [',', 'value\n1\n2\n'],
    [',', ''],
  ])('%j for %j', (delimiter, sample) => {
    expect(sniffDelimiter(sample, true)).toBe(delimiter);
  });

  it('ignores delimiters inside quotes', () => {
    expect(sniffDelimiter('a;b\n"x,y,z";1\n"p,q,r";2\n', true)).toBe(';');
  });

  it('prefers the most consistent field count, then the larger', () => {
    // By "," the rows have 2, 3 and 2 fields; by ";" always 2.
    expect(sniffDelimiter('a;b\n1,5;2\n3;4\n', true)).toBe(';');
    expect(sniffDelimiter('a;b,c\n1;2,3\n', true)).toBe(',');
  });

  it('ignores the cut-off last line of a partial sample', () => {
    expect(sniffDelimiter('a;b\n1;2\n3;4,5,6,7', false)).toBe(';');
    expect(sniffDelimiter('a;b;c;d;e;f,g,h,i', false)).toBe(';');
  });
});
