import { organizationIdOf } from '@app/tenancy';
import { FakeOrganizationsRepository } from '../testing/fake-organizations';
import { OrganizationsService } from './organizations.service';

describe('OrganizationsService', () => {
  let organizations: FakeOrganizationsRepository;
  let service: OrganizationsService;

  beforeEach(() => {
    organizations = new FakeOrganizationsRepository();
    service = new OrganizationsService(organizations.asRepository());
  });

  it('creates an organization and finds it by id; an unknown id is undefined, not null', async () => {
    const created = await service.create('Acme');
    expect(created).toEqual({ id: expect.any(String), name: 'Acme', createdAt: expect.any(Date) });
    await expect(service.findById(created.id)).resolves.toEqual(created);
    await expect(service.findById(organizationIdOf('nope'))).resolves.toBeUndefined();
  });

  it('answers plain organizations, not entities', async () => {
    const created = await service.create('Acme');
    expect(Object.keys(created).sort()).toEqual(['createdAt', 'id', 'name']);
  });

  it('finds the oldest organization, or none', async () => {
    await expect(service.findOldest()).resolves.toBeUndefined();
    await service.create('first made');
    const later = await service.create('older by its clock');
    await expect(service.findOldest()).resolves.toEqual(later);
  });

  it('creates in the transaction it is handed', async () => {
    await service.inTransaction((work) => service.create('Acme', work));
    expect(organizations.insertedIn).toEqual(['the transaction']);
  });

  it('creates the first organization under one lock, whoever asks', async () => {
    await service.whileCreatingTheFirst((work) => service.create('first', work));
    await service.whileCreatingTheFirst(() => service.findOldest());
    expect(organizations.locks).toHaveLength(2);
    expect(new Set(organizations.locks).size).toBe(1);
  });
});
