import { type OrganizationId, organizationIdOf } from './organization-id';

/** Stands for any repository method: the organization id first, then the rest. */
function ownedRows(organizationId: OrganizationId, datasetId: string): string {
  return `${organizationId}/${datasetId}`;
}

// The assertions that matter are the @ts-expect-error lines: `npm run check` (tsc) fails if
// one of them compiles, that is, if a plain string could pass for an organization id.
describe('OrganizationId', () => {
  const organizationId = organizationIdOf('11111111-1111-4111-8111-111111111111');
  const datasetId = '22222222-2222-4222-8222-222222222222';

  it('is the string it was made from, at run time', () => {
    expect(organizationId).toBe('11111111-1111-4111-8111-111111111111');
    expect(ownedRows(organizationId, datasetId)).toBe(`${organizationId}/${datasetId}`);
  });

  it('refuses a plain string, or a dataset id in its place', () => {
    // @ts-expect-error a string literal is not an organization id
    expect(ownedRows('11111111-1111-4111-8111-111111111111', datasetId)).toContain('/');
    // @ts-expect-error the arguments swapped: a dataset id where the organization id belongs
    expect(ownedRows(datasetId, organizationId)).toContain('/');
  });

  it('still reads as a string where one is expected', () => {
    const asText: string = organizationId;
    expect(asText.length).toBe(36);
  });
});
