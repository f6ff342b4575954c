import { organizationIdOf } from '@app/tenancy';
import { ownedBy } from './dataset-ownership';

describe('ownedBy', () => {
  const dataset = { organizationId: organizationIdOf('org-a'), tableName: 'd_1' };

  it("gives back the organization's own dataset", () => {
    expect(ownedBy(organizationIdOf('org-a'), dataset)).toBe(dataset);
  });

  it("refuses another organization's dataset before any statement names its table", () => {
    expect(() => ownedBy(organizationIdOf('org-b'), dataset)).toThrow(
      'A dataset of another organization',
    );
  });
});
