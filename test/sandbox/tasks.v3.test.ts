// The REST 3.0 task methods of the sandbox, each rule pinned to /work/shared/reference/bitrix24-tasks-v3.md.
import { TaskSeeder } from '../harness/taskSeed';
import { startSandbox, type Sandbox } from './index';
import { DEMO_TASKS_PORTAL } from './tasks.demo';
import { RIGHT_KEYS } from './tasks.dto';

const V3 = 'BITRIX_REST_V3_EXCEPTION_';
const REQ = `${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`;
const DTO = `${V3}VALIDATION_DTOVALIDATIONEXCEPTION`;
const DENIED = `${V3}ACCESSDENIEDEXCEPTION`;
const UNKNOWN = `${V3}UNKNOWNDTOPROPERTYEXCEPTION`;

let sb: Sandbox;
const tasks = new TaskSeeder(() => sb, 5000);

interface Reply {
	status: number;
	headers: Headers;
	body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function call(
	url: string,
	body: unknown,
	headers: Record<string, string> = {},
): Promise<Reply> {
	const res = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(body),
	});
	const text = await res.text();
	return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
const v3 = (method: string, body: unknown, userId = 1, headers?: Record<string, string>) =>
	call(sb.webhookUrl(userId, 'v3') + method, body, headers);
const v2 = (method: string, body: unknown, userId = 1) =>
	call(sb.webhookUrl(userId) + method, body);

const newTask = (fields: Record<string, unknown> = {}) => ({
	fields: { title: 'From n8n', creatorId: 1, responsibleId: 1, ...fields },
});

beforeAll(async () => {
	sb = await startSandbox({ seed: DEMO_TASKS_PORTAL });
});
afterAll(async () => await sb.stop());
beforeEach(() => sb.setTasksV3('all'));

describe('tasks.task.add (§3.1)', () => {
	it('creates the task and answers the re-read item (default get set, portal offset)', async () => {
		const r = await v3(
			'tasks.task.add',
			newTask({
				description: 'desc',
				deadline: '2026-12-31T23:59:59+02:00',
				priority: 'high',
				groupId: 7,
				responsibleId: 2,
			}),
		);
		expect(r.status).toBe(200);
		const item = r.body.result.item;
		expect(item).toMatchObject({
			title: 'From n8n',
			description: 'desc',
			deadline: '2027-01-01T00:59:59+03:00',
			priority: 'high',
			status: 'pending',
			needsControl: false,
			parentId: null,
		});
		expect(typeof item.chatId).toBe('number');
		// get never emits creatorId / responsibleId / groupId (§3.3)
		expect(item).not.toHaveProperty('responsibleId');
		expect(item).not.toHaveProperty('creatorId');
		expect(item).not.toHaveProperty('groupId');
		expect(Object.keys(item.rights)).toHaveLength(RIGHT_KEYS.length);
		const t = sb.state.tasks.get(item.id);
		expect(t).toMatchObject({ createdBy: 1, responsibleId: 2, groupId: 7, priority: 'high' });
		expect(t?.memberIds).toEqual([1, 2]);
	});

	it('missing `fields` → REQUESTVALIDATION; missing required fields → DTOVALIDATION listing each', async () => {
		const none = await v3('tasks.task.add', {});
		expect(none.status).toBe(400);
		expect(none.body.error).toMatchObject({
			code: REQ,
			validation: [{ field: 'fields', message: 'Required field `fields` is missing' }],
		});
		const empty = await v3('tasks.task.add', { fields: { title: '' } });
		expect(empty.body.error.code).toBe(DTO);
		expect(empty.body.error.validation.map((v: { field: string }) => v.field)).toEqual([
			'title',
			'creatorId',
			'responsibleId',
		]);
	});

	it('type errors → REQUESTVALIDATION "requires data type"; dates must be DATE_ATOM', async () => {
		for (const deadline of [
			'2026-12-31',
			'2026-12-31T10:00:00Z',
			'2026-12-31T10:00:00.000+00:00',
		]) {
			const r = await v3('tasks.task.add', newTask({ deadline }));
			expect(r.status).toBe(400);
			expect(r.body.error).toMatchObject({
				code: REQ,
				validation: [
					{
						field: 'deadline',
						message: 'Field `deadline` requires data type `DateTime` for this request',
					},
				],
			});
		}
		const r = await v3('tasks.task.add', newTask({ responsibleId: '2', needsControl: 'N' }));
		expect(r.body.error.validation.map((v: { field: string }) => v.field)).toEqual([
			'responsibleId',
			'needsControl',
		]);
	});

	it('unknown names (UF_* too) → UNKNOWNDTOPROPERTY; members and tags are not fillable', async () => {
		const uf = await v3('tasks.task.add', newTask({ UF_AUTO_ORDER_NUMBER: '1' }));
		expect(uf.status).toBe(400);
		expect(uf.body.error).toEqual({
			code: UNKNOWN,
			message: 'Unknown field `UF_AUTO_ORDER_NUMBER` for entity `TaskDto`',
		});
		const members = await v3(
			'tasks.task.add',
			newTask({ accomplices: [2], auditors: [3], tags: [] }),
		);
		expect(members.body.error).toMatchObject({
			code: DTO,
			validation: [
				{ field: 'accomplices', message: 'Field `accomplices` is not available for filling' },
				{ field: 'auditors', message: 'Field `auditors` is not available for filling' },
				{ field: 'tags', message: 'Field `tags` is not available for filling' },
			],
		});
		const priority = await v3('tasks.task.add', newTask({ priority: 'urgent' }));
		expect(priority.body.error).toMatchObject({ code: DTO, validation: [{ field: 'priority' }] });
	});

	it('command validation: unknown executor, parent, endPlan before startPlan', async () => {
		const before = sb.state.tasks.size;
		const r = await v3(
			'tasks.task.add',
			newTask({
				responsibleId: 777,
				parentId: 999999,
				startPlan: '2026-02-02T10:00:00+00:00',
				endPlan: '2026-02-01T10:00:00+00:00',
			}),
		);
		expect(r.status).toBe(400);
		expect(r.body.error.code).toBe(REQ);
		expect(r.body.error.validation).toEqual([
			{ field: 'responsibleId', message: 'User specified in the "Executor" field not found' },
			{ field: 'parentId', message: 'Task specified in the "Parent Task" field not found' },
			{
				field: 'endPlan',
				message: 'The end date specified in the planning is earlier than the start date',
			},
		]);
		expect(sb.state.tasks.size).toBe(before);
	});

	it('another creator is a director change: 403 unless the caller is the responsible or an admin', async () => {
		expect((await v3('tasks.task.add', newTask({ creatorId: 2, responsibleId: 2 }))).status).toBe(
			403,
		);
		expect((await v3('tasks.task.add', newTask({ creatorId: 2, responsibleId: 1 }))).status).toBe(
			200,
		);
		expect(
			(await v3('tasks.task.add', newTask({ creatorId: 2, responsibleId: 3 }), 9)).status,
		).toBe(200);
		// a group the caller is not a member of (assumed rule)
		const g = await v3('tasks.task.add', newTask({ groupId: 8 }));
		expect(g.status).toBe(403);
		expect(g.body.error.code).toBe(DENIED);
	});
});

describe('tasks.task.get (§3.3, §3.6)', () => {
	it('default set, and plain select = only those fields + id; relation paths add nested objects', async () => {
		const full = await v3('tasks.task.get', { id: 201 });
		expect(full.status).toBe(200);
		expect(full.body.result.item).toMatchObject({
			id: 201,
			title: 'Ship order #1001',
			status: 'in_progress',
			deadline: '2026-01-10T18:00:00+03:00',
			chatId: 1201,
		});
		expect(full.body.result.item).not.toHaveProperty('responsible');
		const some = await v3('tasks.task.get', {
			id: 201,
			select: [
				'title',
				'responsibleId',
				'responsible.id',
				'responsible.name',
				'group.id',
				'creator.id',
			],
		});
		expect(some.body.result.item).toEqual({
			id: 201,
			title: 'Ship order #1001',
			responsible: { id: 2, name: 'Second User' },
			group: { id: 7 },
			creator: { id: 1 },
		});
		const rel = await v3('tasks.task.get', { id: 201, select: ['responsible.id'] });
		expect(rel.body.result.item.responsible).toEqual({ id: 2 });
		expect(rel.body.result.item.title).toBe('Ship order #1001');
		const uf = await v3('tasks.task.get', {
			id: 201,
			select: ['userFields.key', 'userFields.value'],
		});
		expect(uf.body.result.item.userFields).toContainEqual({
			key: 'UF_AUTO_ORDER_NUMBER',
			value: '1001',
		});
	});

	it('validation: id required and int; unknown select names', async () => {
		// query-string parameters are not read (rest-v3 docs)
		const viaGet = await fetch(`${sb.webhookUrl(1, 'v3')}tasks.task.get?id=201`);
		expect(viaGet.status).toBe(400);
		expect((await viaGet.json()).error.validation).toEqual([
			{ field: 'id', message: 'Required field `id` is missing' },
		]);
		expect((await v3('tasks.task.get', {})).body.error).toMatchObject({
			code: REQ,
			validation: [{ field: 'id', message: 'Required field `id` is missing' }],
		});
		expect((await v3('tasks.task.get', { id: '201' })).body.error.code).toBe(REQ);
		expect((await v3('tasks.task.get', { id: 201, select: ['UF_CRM_TASK'] })).body.error.code).toBe(
			UNKNOWN,
		);
		expect(
			(await v3('tasks.task.get', { id: 201, select: ['responsible.salary'] })).body.error.message,
		).toBe('Unknown field `salary` for entity `UserDto`');
	});

	it('members of the task workgroup read its tasks, but do not edit them', async () => {
		const inGroup = tasks.one({ createdBy: 2, responsibleId: 2, groupId: 7 });
		expect((await v3('tasks.task.get', { id: inGroup, select: ['title'] })).status).toBe(200);
		expect((await v3('tasks.task.update', { id: inGroup, fields: { title: 'x' } })).status).toBe(
			403,
		);
		// the result methods follow the same read access
		const result = await v3('tasks.task.result.add', {
			fields: { taskId: inGroup, text: 'group member' },
		});
		expect(result.status).toBe(200);
		const elsewhere = tasks.one({ createdBy: 2, responsibleId: 2, groupId: 8 });
		expect((await v3('tasks.task.get', { id: elsewhere })).status).toBe(403);
	});

	it('foreign task 403; missing task 403 for a user, 400 ENTITYNOTFOUND for an admin', async () => {
		const foreign = await v3('tasks.task.get', { id: 204 });
		expect(foreign.status).toBe(403);
		expect(foreign.body.error.code).toBe(DENIED);
		const gone = tasks.reserve();
		expect((await v3('tasks.task.get', { id: gone })).status).toBe(403);
		const admin = await v3('tasks.task.get', { id: gone }, 9);
		expect(admin.status).toBe(400);
		expect(admin.body.error).toEqual({
			code: `${V3}ENTITYNOTFOUNDEXCEPTION`,
			message: `Record with ID = \`${gone}\` not found`,
		});
		expect((await v3('tasks.task.get', { id: 204 }, 9)).status).toBe(200);
	});
});

describe('tasks.task.update (§3.2)', () => {
	it('answers {result:true}, persists, and the next get shows the change', async () => {
		const id = tasks.one({ title: 'old' });
		const r = await v3('tasks.task.update', {
			id,
			fields: {
				title: 'new',
				status: 'completed',
				deadline: '2026-03-01T10:00:00+00:00',
				// computed fields are accepted and ignored (reference §4 †)
				rights: { edit: false },
				chatId: 1,
			},
		});
		expect(r.status).toBe(200);
		expect(r.body.result).toEqual({ result: true });
		const item = (await v3('tasks.task.get', { id })).body.result.item;
		expect(item.rights.edit).toBe(true);
		expect(item.chatId).toBe(sb.state.tasks.get(id)?.chatId);
		expect(item.chatId).not.toBe(1);
		expect(item).toMatchObject({
			title: 'new',
			status: 'completed',
			deadline: '2026-03-01T13:00:00+03:00',
		});
		expect(item.closed).not.toBeNull();
	});

	it('id required (filter is not accepted); creatorId rejected; validation leaves the task unchanged', async () => {
		const id = tasks.one({ title: 'keep' });
		expect(
			(await v3('tasks.task.update', { filter: [['id', id]], fields: { title: 'x' } })).body.error,
		).toMatchObject({ code: REQ, validation: [{ field: 'id' }] });
		expect((await v3('tasks.task.update', { id })).body.error.validation[0].field).toBe('fields');
		expect((await v3('tasks.task.update', { id, fields: {} })).body.error.validation[0].field).toBe(
			'fields',
		);
		const creator = await v3('tasks.task.update', { id, fields: { creatorId: 2 } });
		expect(creator.body.error).toMatchObject({
			code: REQ,
			validation: [
				{
					field: 'creatorId',
					message:
						'In DTO `TaskDto`, the field `creatorId` requires the presence of the `Editable` attribute for such a request',
				},
			],
		});
		const self = await v3('tasks.task.update', { id, fields: { parentId: id } });
		expect(self.body.error.validation).toEqual([
			{ field: 'parentId', message: 'Cannot bind a node to itself' },
		]);
		const bad = await v3('tasks.task.update', { id, fields: { title: 'x', responsibleId: 777 } });
		expect(bad.body.error.code).toBe(REQ);
		expect(sb.state.tasks.get(id)?.title).toBe('keep');
	});

	it('403 for a task of another creator, and for a missing task (admins too)', async () => {
		const theirs = tasks.one({ createdBy: 2, responsibleId: 1 });
		expect((await v3('tasks.task.update', { id: theirs, fields: { title: 'x' } })).status).toBe(
			403,
		);
		const gone = tasks.reserve();
		expect((await v3('tasks.task.update', { id: gone, fields: { title: 'x' } }, 9)).status).toBe(
			403,
		);
		expect(
			(await v3('tasks.task.update', { id: theirs, fields: { title: 'by admin' } }, 9)).status,
		).toBe(200);
	});
});

describe('tasks.task.delete (§3.5, §3.6)', () => {
	it('creator deletes; a repeat is 403 for a user and 400 REQUESTVALIDATION for an admin', async () => {
		const id = tasks.one();
		expect((await v3('tasks.task.delete', { id })).body.result).toEqual({ result: true });
		expect(sb.state.tasks.has(id)).toBe(false);
		// ids of deleted tasks are never handed out again
		const created = (await v3('tasks.task.add', newTask())).body.result.item.id;
		expect(created).toBeGreaterThan(100_000);
		await v3('tasks.task.delete', { id: created });
		expect((await v3('tasks.task.add', newTask())).body.result.item.id).toBe(created + 1);
		const again = await v3('tasks.task.delete', { id });
		expect(again.status).toBe(403);
		const admin = await v3('tasks.task.delete', { id }, 9);
		expect(admin.status).toBe(400);
		expect(admin.body.error).toMatchObject({ code: REQ, validation: [{ field: 'id' }] });
		const theirs = tasks.one({ createdBy: 2, responsibleId: 1 });
		expect((await v3('tasks.task.delete', { id: theirs })).status).toBe(403);
		expect(sb.state.tasks.has(theirs)).toBe(true);
		expect((await v3('tasks.task.delete', {})).status).toBe(400);
	});
});

describe('tasks.task.list (§3.4, §5)', () => {
	it('select absent → only id; filters on id only; keyset paging; only id order is effective', async () => {
		const ids = tasks.many(5, (n) => ({ deadline: `2026-0${5 - n}-01T10:00:00+00:00` }));
		const filter = [
			['id', '>=', ids[0]],
			['id', '<=', ids[4]],
		];
		const bare = await v3('tasks.task.list', { filter });
		expect(bare.body.result).toEqual({ items: ids.map((id) => ({ id })) });
		const desc = await v3('tasks.task.list', {
			filter,
			order: { id: 'desc' },
			select: ['id', 'title', 'responsibleId', 'groupId', 'deadline', 'rights'],
			pagination: { limit: 2 },
		});
		expect(desc.body.result.items).toEqual([
			{
				id: ids[4],
				title: `task ${ids[4]}`,
				responsibleId: 1,
				groupId: null,
				deadline: '2026-01-01T13:00:00+03:00',
			},
			{
				id: ids[3],
				title: `task ${ids[3]}`,
				responsibleId: 1,
				groupId: null,
				deadline: '2026-02-01T13:00:00+03:00',
			},
		]);
		// ordering by deadline is accepted but has no effect: ORDER BY ID ASC comes first (source defect)
		const byDeadline = await v3('tasks.task.list', { filter, order: { deadline: 'ASC' } });
		expect(byDeadline.body.result.items.map((i: { id: number }) => i.id)).toEqual(ids);
		const keyset = await v3('tasks.task.list', {
			filter: [
				['id', '>', ids[1]],
				['id', 'in', ids],
			],
			pagination: { limit: 2, offset: 0 },
		});
		expect(keyset.body.result.items).toEqual([{ id: ids[2] }, { id: ids[3] }]);
		const page2 = await v3('tasks.task.list', { filter, pagination: { page: 2, limit: 2 } });
		expect(page2.body.result.items).toEqual([{ id: ids[2] }, { id: ids[3] }]);
	});

	it('other fields are not filterable; UF_* unknown; bad order and pagination', async () => {
		const status = await v3('tasks.task.list', { filter: [['status', 'pending']] });
		expect(status.status).toBe(400);
		expect(status.body.error).toMatchObject({ code: REQ, validation: [{ field: 'status' }] });
		expect((await v3('tasks.task.list', { filter: [['UF_CRM_TASK', 1]] })).body.error.code).toBe(
			UNKNOWN,
		);
		expect((await v3('tasks.task.list', { filter: [['id', '5']] })).body.error.code).toBe(REQ);
		expect((await v3('tasks.task.list', { filter: [['id', 'like', 5]] })).body.error.code).toBe(
			`${V3}UNKNOWNFILTEROPERATOREXCEPTION`,
		);
		expect((await v3('tasks.task.list', { order: [['id', 'ASC']] })).body.error.code).toBe(
			`${V3}INVALIDORDEREXCEPTION`,
		);
		expect((await v3('tasks.task.list', { order: { description: 'ASC' } })).body.error.code).toBe(
			REQ,
		);
		expect((await v3('tasks.task.list', { pagination: { limit: 0 } })).body.error.code).toBe(
			`${V3}INVALIDPAGINATIONEXCEPTION`,
		);
	});

	it('lists only accessible tasks (admin: all); limit clamps to 1000', async () => {
		const mine = (await v3('tasks.task.list', { filter: [['id', 'between', [201, 204]]] })).body
			.result.items;
		expect(mine.map((i: { id: number }) => i.id)).toEqual([201, 202, 203]);
		const all = (await v3('tasks.task.list', { filter: [['id', 'between', [201, 204]]] }, 9)).body
			.result.items;
		expect(all).toHaveLength(4);
		tasks.many(1005);
		const big = await v3('tasks.task.list', { pagination: { limit: 5000 } });
		expect(big.body.result.items).toHaveLength(1000);
	});
});

describe('field.list / field.get (§3.7)', () => {
	it('lists TaskDto fields only (no UF_*), with required groups and the id-only filterable flag', async () => {
		const r = await v3('tasks.task.field.list', {});
		const items = r.body.result.items as Array<Record<string, unknown>>;
		expect(items.some((i) => String(i.name).startsWith('UF_'))).toBe(false);
		expect(items.find((i) => i.name === 'title')).toMatchObject({
			type: 'string',
			requiredGroups: ['add'],
			filterable: false,
			editable: false,
		});
		expect(items.filter((i) => i.filterable).map((i) => i.name)).toEqual(['id']);
		const sel = await v3('tasks.task.field.list', { select: ['name', 'type'] });
		expect(Object.keys(sel.body.result.items[0])).toEqual(['name', 'type']);
		expect((await v3('tasks.task.field.list', { select: ['nope'] })).body.error.message).toBe(
			'Unknown field `nope` for entity `DtoFieldDto`',
		);
	});

	it('field.get: one item; unknown name → 404 FIELDNOTFOUND', async () => {
		expect((await v3('tasks.task.field.get', { name: 'deadline' })).body.result.item).toMatchObject(
			{
				name: 'deadline',
				type: 'object',
				sortable: true,
			},
		);
		const nf = await v3('tasks.task.field.get', { name: 'UF_CRM_TASK' });
		expect(nf.status).toBe(404);
		expect(nf.body.error.code).toBe('BITRIX_REST_V3_REALISATION_EXCEPTION_FIELDNOTFOUNDEXCEPTION');
		expect((await v3('tasks.task.field.get', {})).body.error.code).toBe(REQ);
	});
});

describe('access.get, chat.message.send, file.attach (§3.8, §6, §3.9)', () => {
	it('access.get: a flat map of every right; a foreign or missing task is 200 with read false', async () => {
		const own = await v3('tasks.task.access.get', { id: 202 });
		expect(Object.keys(own.body.result).sort()).toEqual([...RIGHT_KEYS].sort());
		expect(own.body.result).toMatchObject({ read: true, edit: true, remove: true, admin: false });
		const foreign = await v3('tasks.task.access.get', { id: 204 });
		expect(foreign.status).toBe(200);
		expect(foreign.body.result).toMatchObject({ read: false, edit: false });
		expect((await v3('tasks.task.access.get', { id: 'x' })).body.error.code).toBe(REQ);
	});

	it('chat.message.send posts as the caller for readers; validation and 403', async () => {
		const r = await v3('tasks.task.chat.message.send', {
			fields: { taskId: 201, text: 'Shipped' },
		});
		expect(r.body.result).toEqual({ result: true });
		const msgs = [...sb.state.chatMessages.values()].filter((m) => m.taskId === 201);
		expect(msgs.at(-1)).toMatchObject({ authorId: 1, text: 'Shipped' });
		expect(
			(await v3('tasks.task.chat.message.send', { fields: { taskId: 204, text: 'x' } })).status,
		).toBe(403);
		const dto = await v3('tasks.task.chat.message.send', { fields: { taskId: 201 } });
		expect(dto.body.error).toMatchObject({
			code: DTO,
			validation: [{ field: 'text', message: 'The required field "text" is not filled' }],
		});
		expect(
			(await v3('tasks.task.chat.message.send', { fields: { taskId: 201, text: 'x', chatId: 1 } }))
				.body.error.message,
		).toBe('Unknown field `chatId` for entity `MessageDto`');
		expect((await v3('tasks.task.chat.message.send', {})).body.error.code).toBe(REQ);
	});

	it('file.attach: integer ids, members only', async () => {
		expect(
			(await v3('tasks.task.file.attach', { taskId: 202, fileIds: [11, 12] })).body.result,
		).toEqual({
			result: true,
		});
		expect(
			(await v3('tasks.task.get', { id: 202, select: ['fileIds'] })).body.result.item.fileIds,
		).toEqual([11, 12]);
		expect(
			(await v3('tasks.task.file.attach', { taskId: 202, fileIds: ['n11'] })).body.error.code,
		).toBe(REQ);
		expect((await v3('tasks.task.file.attach', { taskId: 204, fileIds: [1] })).status).toBe(403);
	});
});

describe('portal mechanics with the task methods', () => {
	it('Idempotency-Key replays an add without creating a second task; v3 batch runs task methods', async () => {
		const before = sb.state.tasks.size;
		const body = newTask({ title: 'once' });
		const a = await v3('tasks.task.add', body, 1, { 'Idempotency-Key': 'task-once-1' });
		const b = await v3('tasks.task.add', body, 1, { 'Idempotency-Key': 'task-once-1' });
		expect(b.headers.get('idempotent-replayed')).toBe('true');
		expect(b.body.result.item.id).toBe(a.body.result.item.id);
		expect(sb.state.tasks.size).toBe(before + 1);
		const batch = await call(`${sb.webhookUrl(1, 'v3')}batch`, [
			{ method: 'tasks.task.add', query: newTask({ title: 'b1' }), as: 'a' },
			{ method: 'tasks.task.get', query: { id: { $ref: 'a.item.id' }, select: ['title'] } },
		]);
		expect(batch.body.result[1].item.title).toBe('b1');
	});

	it('scope `tasks` is required; OAuth works', async () => {
		const s = await startSandbox({
			seed: DEMO_TASKS_PORTAL,
			webhooks: [{ userId: 1, code: 'onlytask', scopes: ['task'] }],
		});
		try {
			const r = await call(`${s.url}/rest/api/1/onlytask/tasks.task.get`, { id: 202 });
			expect(r.status).toBe(403);
			expect(r.body.error.code).toBe(`${V3}INSUFFICIENTSCOPEEXCEPTION`);
			const token = s.issueTokens({ userId: 1 }).access_token;
			const o = await call(`${s.url}/rest/api/tasks.task.get`, { id: 202, auth: token });
			expect(o.body.result.item.id).toBe(202);
		} finally {
			await s.stop();
		}
	});

	it('tasksV3 modes: an older tasks module answers METHODNOTFOUND 404 (result methods too)', async () => {
		sb.setTasksV3('withoutList');
		const list = await v3('tasks.task.list', {});
		expect(list.status).toBe(404);
		expect(list.body.error).toEqual({
			code: `${V3}METHODNOTFOUNDEXCEPTION`,
			message: 'Method "tasks.task.list" was not found.',
		});
		expect((await v3('tasks.task.get', { id: 202 })).status).toBe(200);
		sb.setTasksV3('none');
		for (const m of [
			'tasks.task.add',
			'tasks.task.get',
			'tasks.task.chat.message.send',
			'tasks.task.field.list',
		]) {
			expect((await v3(m, {})).status).toBe(404);
		}
		const batch = await call(`${sb.webhookUrl(1, 'v3')}batch`, [
			{ method: 'tasks.task.get', query: { id: 202 } },
		]);
		expect(batch.body.error.code).toBe(`${V3}METHODNOTFOUNDEXCEPTION`);
		// the result methods came with tasks 26.0.0 as well
		expect((await v3('tasks.task.result.list', { filter: [['taskId', 202]] })).status).toBe(404);
		sb.setTasksV3('withoutList');
		expect((await v3('tasks.task.result.list', { filter: [['taskId', 202]] })).status).toBe(404);
		sb.setTasksV3('all');
		expect((await v3('tasks.task.result.list', { filter: [['taskId', 202]] })).status).toBe(200);
		sb.setTasksV3('none');
		// the classic list stays (present on every portal)
		expect((await v2('tasks.task.list', { filter: { ID: 202 } })).body.result.tasks).toHaveLength(
			1,
		);
		const s = await startSandbox({ tasksV3: 'none' });
		try {
			expect((await call(`${s.webhookUrl(1, 'v3')}tasks.task.add`, newTask())).status).toBe(404);
		} finally {
			await s.stop();
		}
	});

	it('maxPageSize caps a task page silently below the requested limit (keyset paging still sees all)', async () => {
		const s = await startSandbox({ seed: DEMO_TASKS_PORTAL, maxPageSize: 2 });
		try {
			const r = await call(`${s.webhookUrl(1, 'v3')}tasks.task.list`, {
				pagination: { limit: 50 },
			});
			expect(r.body.result.items).toEqual([{ id: 201 }, { id: 202 }]);
			const next = await call(`${s.webhookUrl(1, 'v3')}tasks.task.list`, {
				filter: [['id', '>', 202]],
				pagination: { limit: 50 },
			});
			expect(next.body.result.items).toEqual([{ id: 203 }]);
		} finally {
			await s.stop();
		}
	});

	it('timeZoneOffset: task dates and the time block use the portal offset', async () => {
		const s = await startSandbox({ seed: DEMO_TASKS_PORTAL, timeZoneOffset: '-05:00' });
		try {
			const r = await call(`${s.webhookUrl(1, 'v3')}tasks.task.get`, {
				id: 201,
				select: ['deadline'],
			});
			expect(r.body.result.item.deadline).toBe('2026-01-10T10:00:00-05:00');
			expect(r.body.time.date_finish).toMatch(/-05:00$/);
			const c = await call(`${s.webhookUrl(1)}tasks.task.list`, {
				filter: { '<DEADLINE': '2026-01-10 10:00:01' },
				select: ['ID'],
			});
			expect(c.body.result.tasks.map((t: { id: string }) => t.id)).toEqual(['201']);
		} finally {
			await s.stop();
		}
	});

	it('Idempotency-Key on chat.message.send: a repeat posts nothing new (UNCONFIRMED on a portal)', async () => {
		const count = () => [...sb.state.chatMessages.values()].filter((m) => m.taskId === 202).length;
		const before = count();
		const body = { fields: { taskId: 202, text: 'reminder' } };
		await v3('tasks.task.chat.message.send', body, 1, { 'Idempotency-Key': 'chat-1' });
		const again = await v3('tasks.task.chat.message.send', body, 1, {
			'Idempotency-Key': 'chat-1',
		});
		expect(again.headers.get('idempotent-replayed')).toBe('true');
		expect(count()).toBe(before + 1);
		const other = await v3(
			'tasks.task.chat.message.send',
			{ fields: { taskId: 202, text: 'other' } },
			1,
			{
				'Idempotency-Key': 'chat-1',
			},
		);
		expect(other.status).toBe(422);
	});

	it('a lost answer of an add with Idempotency-Key: the repeat replays the same task (created once)', async () => {
		const before = sb.state.tasks.size;
		const body = newTask({ title: 'lost once' });
		sb.injectFault({ kind: 'resetAfterCommit' }, { restMethod: 'tasks.task.add' });
		await expect(v3('tasks.task.add', body, 1, { 'Idempotency-Key': 'lost-1' })).rejects.toThrow();
		const again = await v3('tasks.task.add', body, 1, { 'Idempotency-Key': 'lost-1' });
		expect(again.headers.get('idempotent-replayed')).toBe('true');
		expect(sb.state.tasks.size).toBe(before + 1);
		expect(sb.state.tasks.get(again.body.result.item.id)?.title).toBe('lost once');
	});

	it('a fault inside a v3 batch of adds: commands before it stay created, the rest never run', async () => {
		const before = sb.state.tasks.size;
		sb.injectFault(
			{
				kind: 'status',
				status: 500,
				body: { error: { code: `${V3}INTERNAL_INTERNALEXCEPTION`, message: 'x' } },
			},
			{ restMethod: 'tasks.task.add', inBatch: true, afterMatches: 1 },
		);
		const r = await call(`${sb.webhookUrl(1, 'v3')}batch`, [
			{ method: 'tasks.task.add', query: newTask({ title: 'batch 1' }) },
			{ method: 'tasks.task.add', query: newTask({ title: 'batch 2' }) },
			{ method: 'tasks.task.add', query: newTask({ title: 'batch 3' }) },
		]);
		expect(r.status).toBe(500);
		expect(sb.state.tasks.size).toBe(before + 1);
		expect([...sb.state.tasks.values()].some((t) => t.title === 'batch 1')).toBe(true);
		expect([...sb.state.tasks.values()].some((t) => t.title === 'batch 3')).toBe(false);
	});

	it('faults and the request log apply to task methods', async () => {
		sb.injectFault({ kind: 'resetAfterCommit' }, { restMethod: 'tasks.task.add' });
		const before = sb.state.tasks.size;
		await expect(v3('tasks.task.add', newTask({ title: 'lost answer' }))).rejects.toThrow();
		expect(sb.state.tasks.size).toBe(before + 1);
		sb.reset();
		await v3('tasks.task.get', { id: 202 });
		expect(sb.requests.map((r) => [r.apiVersion, r.restMethod])).toEqual([
			['v3', 'tasks.task.get'],
		]);
	});
});
