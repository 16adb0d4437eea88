// Classic methods behind the Task resource's filters and locators, pinned to the official docs
// (api-reference/tasks/tasks-task-list.md, user/user-search.md, sonet-group/sonet-group-get.md).
import { TaskSeeder } from '../harness/taskSeed';
import { startSandbox, type Sandbox } from './index';
import { DEMO_TASKS_PORTAL } from './tasks.demo';

let sb: Sandbox;
const tasks = new TaskSeeder(() => sb, 7000);

interface Reply {
	status: number;
	body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function v2(method: string, body: unknown, userId = 1): Promise<Reply> {
	const res = await fetch(sb.webhookUrl(userId) + method, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: res.status, body: await res.json() };
}

const ids = (r: Reply) => r.body.result.tasks.map((t: { id: string }) => Number(t.id));

beforeAll(async () => {
	sb = await startSandbox({ seed: DEMO_TASKS_PORTAL });
});
afterAll(async () => await sb.stop());

describe('classic tasks.task.list', () => {
	it('items: lowerCamel keys, string values, relation objects for the selected ids, portal offset', async () => {
		const r = await v2('tasks.task.list', {
			filter: { ID: 201 },
			select: [
				'ID',
				'TITLE',
				'RESPONSIBLE_ID',
				'CREATED_BY',
				'GROUP_ID',
				'STATUS',
				'subStatus',
				'PRIORITY',
				'DEADLINE',
				'AUDITORS',
				'UF_AUTO_ORDER_NUMBER',
			],
		});
		expect(r.status).toBe(200);
		expect(r.body.total).toBe(1);
		expect(r.body.result.tasks[0]).toEqual({
			id: '201',
			title: 'Ship order #1001',
			responsibleId: '2',
			responsible: {
				id: '2',
				name: 'Second User',
				link: '/company/personal/user/2/',
				icon: '/bitrix/images/tasks/default_avatar.png',
				workPosition: 'Engineer',
			},
			createdBy: '1',
			creator: expect.objectContaining({ id: '1', name: 'Owner Sandbox' }),
			groupId: '7',
			group: expect.objectContaining({ id: '7', name: 'Sales Project' }),
			status: '3',
			subStatus: '-1',
			priority: '2',
			deadline: '2026-01-10T18:00:00+03:00',
			auditors: ['3'],
			auditorsData: { '3': expect.objectContaining({ name: 'Maria Ivanova' }) },
			ufAutoOrderNumber: '1001',
		});
		const masked = await v2('tasks.task.list', { filter: { ID: 201 }, select: ['ID', 'UF_*'] });
		expect(masked.body.result.tasks[0]).toEqual({
			id: '201',
			ufCrmTask: [],
			ufAutoOrderNumber: '1001',
			ufAutoBudget: null,
		});
		const plain = await v2('tasks.task.list', { filter: { ID: 202 } });
		expect(plain.body.result.tasks[0]).toMatchObject({
			id: '202',
			groupId: '0',
			responsibleId: '1',
		});
		expect(plain.body.result.tasks[0]).not.toHaveProperty('responsible');
	});

	it('filters: RESPONSIBLE_ID, REAL_STATUS list, CREATED_BY, GROUP_ID, deadline ranges, overdue', async () => {
		const a = tasks.one({
			responsibleId: 2,
			createdBy: 1,
			deadline: '2030-05-10T10:00:00+03:00',
			groupId: 7,
		});
		const b = tasks.one({ responsibleId: 1, deadline: '2030-05-12T10:00:00+03:00', status: 5 });
		const c = tasks.one({ responsibleId: 1, deadline: null, status: 3 });
		const mine = { '>=ID': a, '<=ID': c };
		expect(ids(await v2('tasks.task.list', { filter: { ...mine, RESPONSIBLE_ID: 1 } }))).toEqual([
			c,
			b,
		]);
		expect(ids(await v2('tasks.task.list', { filter: { ...mine, REAL_STATUS: [2, 3] } }))).toEqual([
			c,
			a,
		]);
		expect(ids(await v2('tasks.task.list', { filter: { ...mine, '!REAL_STATUS': 5 } }))).toEqual([
			c,
			a,
		]);
		expect(ids(await v2('tasks.task.list', { filter: { ...mine, GROUP_ID: 7 } }))).toEqual([a]);
		expect(ids(await v2('tasks.task.list', { filter: { ...mine, CREATED_BY: 1 } }))).toEqual([
			c,
			b,
			a,
		]);
		// local dates are read in the portal's zone (+03:00): 2030-05-12 00:00 local
		expect(
			ids(await v2('tasks.task.list', { filter: { ...mine, '<DEADLINE': '2030-05-12' } })),
		).toEqual([a]);
		expect(
			ids(
				await v2('tasks.task.list', {
					filter: { ...mine, '>=DEADLINE': '2030-05-12T07:00:00+00:00' },
				}),
			),
		).toEqual([b]);
		// overdue = deadline passed and not completed/deferred (meta status -1)
		const late = tasks.one({ deadline: '2020-01-01T10:00:00+00:00', status: 2 });
		tasks.one({ deadline: '2020-01-01T10:00:00+00:00', status: 5 });
		expect(ids(await v2('tasks.task.list', { filter: { '>=ID': late, STATUS: -1 } }))).toEqual([
			late,
		]);
	});

	it('order, default ID desc, 50 per page with total/next, bad sort key', async () => {
		const first = tasks.reserve(0);
		const seeded = tasks.many(60, (n) => ({
			deadline: n % 2 ? null : `2031-01-${String((n % 28) + 1).padStart(2, '0')}T10:00:00+00:00`,
		}));
		expect(first).toBe(seeded[0]);
		const filter = { '>=ID': seeded[0], '<=ID': seeded[59] };
		const p1 = await v2('tasks.task.list', { filter, select: ['ID'] });
		expect(p1.body).toMatchObject({ total: 60, next: 50 });
		expect(ids(p1)[0]).toBe(seeded[59]);
		expect(ids(p1)).toHaveLength(50);
		const p2 = await v2('tasks.task.list', { filter, select: ['ID'], start: 50 });
		expect(ids(p2)).toHaveLength(10);
		expect(p2.body.next).toBeUndefined();
		const byDeadline = await v2('tasks.task.list', {
			filter,
			order: { DEADLINE: 'asc' },
			select: ['ID', 'DEADLINE'],
		});
		const dl = byDeadline.body.result.tasks.map((t: { deadline: string | null }) => t.deadline);
		const dated = dl.filter((d: string | null) => d !== null);
		expect(dated).toEqual([...dated].sort());
		expect(dl.slice(0, dated.length)).toEqual(dated);
		const bad = await v2('tasks.task.list', { order: { SALARY: 'asc' } });
		expect(bad.status).toBe(400);
		expect(bad.body).toEqual({
			error: '0',
			error_description: 'Invalid sorting key (internal error)',
		});
	});

	it('visibility: members see their tasks, admins all; scope task required', async () => {
		expect(ids(await v2('tasks.task.list', { filter: { ID: [201, 204] } }))).toEqual([201]);
		expect(ids(await v2('tasks.task.list', { filter: { ID: [201, 204] } }, 9))).toEqual([204, 201]);
		const s = await startSandbox({ webhooks: [{ userId: 1, code: 'useronly', scopes: ['user'] }] });
		try {
			const r = await fetch(`${s.url}/rest/1/useronly/tasks.task.list`, { method: 'POST' });
			expect(r.status).toBe(403);
			expect((await r.json()).error).toBe('insufficient_scope');
		} finally {
			await s.stop();
		}
	});
});

describe('classic tasks.task.update (UF_*, members, tags — what REST 3.0 cannot write)', () => {
	it('sets UF values, accomplices, auditors, tags; the v3 get shows them; answers the task', async () => {
		const id = tasks.one();
		const r = await v2('tasks.task.update', {
			taskId: id,
			fields: {
				UF_AUTO_ORDER_NUMBER: 'A-7',
				ACCOMPLICES: [2],
				AUDITORS: ['3'],
				TAGS: ['retro'],
				UF_UNKNOWN: 1,
			},
		});
		expect(r.status).toBe(200);
		expect(r.body.result.task).toMatchObject({
			id: String(id),
			accomplices: ['2'],
			auditors: ['3'],
			ufAutoOrderNumber: 'A-7',
		});
		expect(sb.state.tasks.get(id)).toMatchObject({
			accomplices: [2],
			auditors: [3],
			tags: ['retro'],
			uf: { UF_AUTO_ORDER_NUMBER: 'A-7' },
		});
		expect(sb.state.tasks.get(id)?.memberIds).toEqual([1, 2, 3]);
		const res = await fetch(`${sb.webhookUrl(1, 'v3')}tasks.task.get`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ id, select: ['userFields.key', 'userFields.value', 'tags.name'] }),
		});
		const item = (await res.json()).result.item;
		expect(item.userFields).toContainEqual({ key: 'UF_AUTO_ORDER_NUMBER', value: 'A-7' });
		expect(item.tags).toEqual([{ name: 'retro' }]);
	});

	it('errors as the docs list them', async () => {
		const id = tasks.one();
		expect((await v2('tasks.task.update', { fields: { TITLE: 'x' } })).body.error).toBe('100');
		expect((await v2('tasks.task.update', { taskId: 'abc', fields: { TITLE: 'x' } })).body).toEqual(
			{
				error: '0',
				error_description: 'wrong task id',
			},
		);
		expect((await v2('tasks.task.update', { taskId: id, fields: {} })).body.error_description).toBe(
			'Could not find value for parameter {fields} (internal error)',
		);
		expect((await v2('tasks.task.update', { taskId: 204, fields: { TITLE: 'x' } })).body).toEqual({
			error: '0',
			error_description: 'Action on the task is not allowed (internal error)',
		});
		const who = await v2('tasks.task.update', { taskId: id, fields: { RESPONSIBLE_ID: 777 } });
		expect(who.body).toEqual({
			error: 'ERROR_CORE',
			error_description: 'The user specified in the "Assignee" field is not found<br>',
		});
		expect(
			(await v2('tasks.task.update', { taskId: id, fields: { PARENT_ID: id } })).body
				.error_description,
		).toBe('Cannot bind the node to itself<br>');
		expect(sb.state.tasks.get(id)?.responsibleId).toBe(1);
	});
});

describe('user.get / user.search', () => {
	it('user.search FIND: word prefix over names and position; paging of 50 with total/next', async () => {
		const r = await v2('user.search', { FILTER: { FIND: 'mar' } });
		expect(r.body.result.map((u: { ID: string }) => u.ID)).toEqual(['3']);
		expect(r.body.result[0]).toMatchObject({
			ID: '3',
			NAME: 'Maria',
			LAST_NAME: 'Ivanova',
			EMAIL: 'maria@example.com',
			ACTIVE: true,
			WORK_POSITION: 'Accountant',
		});
		expect(r.body.total).toBe(1);
		expect((await v2('user.search', { FILTER: { FIND: 'john smi' } })).body.result[0].ID).toBe('4');
		expect((await v2('user.search', { FILTER: { LAST_NAME: 'iva' } })).body.result[0].ID).toBe('3');
		sb.seed({
			users: Array.from({ length: 55 }, (_, i) => ({
				id: 100 + i,
				name: 'Bulk',
				lastName: `N${i}`,
			})),
		});
		const p1 = await v2('user.search', { FILTER: { FIND: 'bulk' } });
		expect(p1.body).toMatchObject({ total: 55, next: 50 });
		const p2 = await v2('user.search', { FILTER: { FIND: 'bulk' }, start: 50 });
		expect(p2.body.result).toHaveLength(5);
		expect(p2.body.next).toBeUndefined();
	});

	it('user.get by ID (FILTER or top level) and ACTIVE', async () => {
		expect((await v2('user.get', { ID: 2 })).body.result.map((u: { ID: string }) => u.ID)).toEqual([
			'2',
		]);
		expect((await v2('user.get', { FILTER: { ID: [1, 9] } })).body.result).toHaveLength(2);
		const inactive = await v2('user.get', { FILTER: { ACTIVE: false, ID: [4, 5] } });
		expect(inactive.body.result.map((u: { ID: string }) => u.ID)).toEqual(['5']);
		expect((await v2('user.get', { ID: 999 })).body).toMatchObject({ result: [], total: 0 });
		// docs' prefixes and LIKE patterns; lower-case `filter` works as well
		const uids = async (filter: object) =>
			(await v2('user.get', { filter })).body.result.map((u: { ID: string }) => u.ID);
		expect(await uids({ NAME: 'Ma%' })).toEqual(['3']);
		expect(await uids({ '%LAST_NAME': 'ANDB' })).toEqual(['1', '9']);
		expect(await uids({ '!%LAST_NAME': 'ov', '@ID': [3, 4] })).toEqual(['4']);
		expect(await uids({ '!@ID': [1, 2, 3, 4, 5], '<ID': 100 })).toEqual(['9']);
		expect(await uids({ '>=ID': 5, '<=ID': 99 })).toEqual(['5', '9']);
	});
});

describe('sonet_group.get', () => {
	it('%NAME filter, ORDER, visibility (admin with IS_ADMIN=Y sees hidden groups)', async () => {
		const r = await v2('sonet_group.get', { FILTER: { '%NAME': 'mark' } });
		expect(r.body.result).toEqual([
			expect.objectContaining({
				ID: '8',
				NAME: 'Marketing',
				PROJECT: 'N',
				VISIBLE: 'Y',
				NUMBER_OF_MEMBERS: '2',
			}),
		]);
		expect(r.body.total).toBe(1);
		const all = await v2('sonet_group.get', { ORDER: { NAME: 'ASC' } });
		expect(all.body.result.map((g: { NAME: string }) => g.NAME)).toEqual([
			'Marketing',
			'Sales Project',
		]);
		const admin = await v2('sonet_group.get', { IS_ADMIN: 'Y' }, 9);
		expect(admin.body.result.map((g: { ID: string }) => g.ID)).toEqual(['10', '8', '7']);
		expect((await v2('sonet_group.get', { GROUP_ID: 7 })).body.result[0].NAME).toBe(
			'Sales Project',
		);
	});

	it('needs the sonet_group (or sonet) scope', async () => {
		const s = await startSandbox({ webhooks: [{ userId: 1, code: 'noscope', scopes: ['task'] }] });
		try {
			const r = await fetch(`${s.url}/rest/1/noscope/sonet_group.get`, { method: 'POST' });
			expect(r.status).toBe(403);
		} finally {
			await s.stop();
		}
	});
});

describe('classic batch with the task, people and workgroup methods', () => {
	it('runs each command with its query-string filter; totals per command', async () => {
		const r = await v2('batch', {
			halt: 0,
			cmd: {
				mine: 'tasks.task.list?filter[RESPONSIBLE_ID]=2&filter[ID]=201&select[]=ID',
				people: 'user.search?FILTER[FIND]=mar',
				groups: 'sonet_group.get?FILTER[%NAME]=sales',
			},
		});
		expect(r.status).toBe(200);
		expect(r.body.result.result.mine.tasks).toEqual([{ id: '201' }]);
		expect(r.body.result.result.people.map((u: { ID: string }) => u.ID)).toEqual(['3']);
		expect(r.body.result.result.groups.map((g: { ID: string }) => g.ID)).toEqual(['7']);
		expect(r.body.result.result_total).toEqual({ mine: 1, people: 1, groups: 1 });
	});
});

describe('task.item.userfield.getlist', () => {
	it('lists the task UF definitions', async () => {
		const r = await v2('task.item.userfield.getlist', {});
		expect(r.body.result.map((f: { FIELD_NAME: string }) => f.FIELD_NAME)).toEqual([
			'UF_CRM_TASK',
			'UF_AUTO_ORDER_NUMBER',
			'UF_AUTO_BUDGET',
		]);
		expect(r.body.result[2]).toMatchObject({
			USER_TYPE_ID: 'double',
			MULTIPLE: 'N',
			ENTITY_ID: 'TASKS_TASK',
		});
	});
});
