/* eslint-disable @n8n/community-nodes/no-restricted-globals */
// e2e checks of the Task resource (issue 18): the two examples and the lifecycle workflow, run by the
// n8n CLI against the sandbox; called from run.ts (seed after the sandbox starts, checks per workflow).
import type { Sandbox } from '../../test/sandbox';
import { check } from './common';

type Item = { json: Record<string, unknown> };
type RunJson = {
	status?: string;
	data?: {
		resultData?: {
			runData?: Record<string, Array<{ data?: { main?: Item[][] } }>>;
			error?: Record<string, unknown>;
		};
	};
};
type Call = Sandbox['requests'][number];

const HOUR = 3_600_000;

/** Tasks for overdue-tasks-reminder.json: 81 and 82 are overdue and open; the others must be left alone. */
export function seedTaskChecks(sandbox: Sandbox): void {
	const now = Date.now();
	const mine = { createdBy: 1, responsibleId: 1 };
	sandbox.seed({
		tasks: [
			{ id: 81, title: 'Overdue: send the invoice', ...mine, status: 2, deadline: now - 30 * HOUR },
			{ id: 82, title: 'Overdue: call back', ...mine, status: 3, deadline: now - 2 * HOUR },
			{ id: 83, title: 'Overdue but completed', ...mine, status: 5, deadline: now - 5 * HOUR },
			{ id: 84, title: 'Due next week', ...mine, status: 2, deadline: now + 150 * HOUR },
			{ id: 85, title: 'Overdue, not mine', createdBy: 2, responsibleId: 2, deadline: now - HOUR },
		],
	});
}

const out = (run: RunJson | undefined, node: string) =>
	run?.data?.resultData?.runData?.[node]?.[0]?.data?.main?.[0] ?? [];

/** Checks one Task workflow; false when the workflow is not one of them. */
export function checkTaskWorkflow(
	id: string,
	result: { code: number | null },
	run: RunJson | undefined,
	calls: Call[],
	sandbox: Sandbox,
	dump: () => string,
): boolean {
	const ok = () =>
		check(
			result.code === 0 && run !== undefined && !run.data?.resultData?.error,
			`${id}: exit 0, no workflow error`,
			dump(),
		);
	const tasks = () => [...sandbox.state.tasks.values()];
	switch (id) {
		case 'b24CreateTasks01': {
			ok();
			const created = out(run, 'Create task').map((i) => i.json);
			const stored = created.map((t) => sandbox.state.tasks.get(Number(t.id)));
			check(
				JSON.stringify(
					stored.map((t) => t && [t.title, t.responsibleId, t.createdBy, t.priority]),
				) ===
					JSON.stringify(
						['A-1001 to Globex', 'A-1002 to Initech', 'A-1003 to Umbrella'].map((s) => [
							`Ship order ${s}`,
							2,
							1,
							'high',
						]),
					),
				`${id}: three tasks on the portal, as the output says (title, responsible 2, creator 1, high)`,
				{ created, stored },
			);
			check(
				stored[0]?.deadline === Date.parse('2027-01-15T16:00:00Z') &&
					stored[0]?.needsControl === true,
				`${id}: deadline (from +01:00) and Review After Completion stored`,
				stored[0],
			);
			const adds = calls.filter((c) => c.restMethod === 'tasks.task.add');
			check(
				adds.length === 3 &&
					new Set(adds.map((c) => c.headers['idempotency-key'])).size === 3 &&
					adds.every((c) => /^n8n-k1-[0-9a-f]{64}$/.test(String(c.headers['idempotency-key']))),
				`${id}: one tasks.task.add per item, each with the Idempotency Key option's key`,
				adds.map((c) => c.headers['idempotency-key']),
			);
			return true;
		}
		case 'b24OverdueRemind01': {
			ok();
			const listed = out(run, 'Get overdue tasks').map((i) => i.json.id);
			check(
				JSON.stringify(listed) === '[81,82]',
				`${id}: Get Many lists exactly the open overdue tasks 81, 82 (classic list with filters)`,
				listed,
			);
			check(
				calls.some((c) => c.apiVersion === 'v2' && c.restMethod === 'tasks.task.list') &&
					!calls.some((c) => c.apiVersion === 'v3' && c.restMethod === 'tasks.task.list'),
				`${id}: the deadline/status filter went to the classic tasks.task.list`,
				calls.map((c) => `${c.apiVersion} ${c.restMethod}`),
			);
			const posted = [...sandbox.state.chatMessages.values()].filter(
				(m) => m.taskId !== null && m.taskId >= 81 && m.taskId <= 85,
			);
			check(
				JSON.stringify(posted.map((m) => [m.taskId, m.authorId])) === '[[81,1],[82,1]]' &&
					posted.every((m) => m.text.startsWith('Reminder: this task was due ')),
				`${id}: one reminder in the chat of each overdue task, none elsewhere`,
				posted,
			);
			const sent = out(run, 'Post reminder in task chat').map((i) => i.json);
			check(
				sent.length === 2 && sent.every((s) => s.sent === true),
				`${id}: Send Chat Message outputs { taskId, text, sent: true } per task`,
				sent,
			);
			return true;
		}
		case 'e2eTaskLifecycle01': {
			ok();
			const [created] = out(run, 'Create').map((i) => i.json);
			const taskId = Number(created?.id);
			check(
				created?.responsibleId === 2 && created?.creatorId === 1 && created?.priority === 'low',
				`${id}: Create outputs the task with flat responsibleId/creatorId (responsible from a profile link)`,
				created,
			);
			const [updated] = out(run, 'Update').map((i) => i.json);
			check(
				updated?.title === 'e2e lifecycle task (updated)' &&
					updated?.status === 'in_progress' &&
					updated?.priority === 'high',
				`${id}: Update outputs the task as re-read from the portal`,
				updated,
			);
			const [listed] = out(run, 'List by ID').map((i) => i.json);
			check(
				JSON.stringify(listed) ===
					JSON.stringify({
						id: taskId,
						title: 'e2e lifecycle task (updated)',
						status: 'in_progress',
						priority: 'high',
						responsibleId: 2,
					}),
				`${id}: Get Many (REST 3.0, ID filter) returns the chosen fields`,
				listed,
			);
			const [access] = out(run, 'Access').map((i) => i.json);
			check(
				access?.id === taskId && access?.edit === true && access?.remove === true,
				`${id}: Get Access Rights: the creator may edit and remove`,
				access,
			);
			check(
				[...sandbox.state.chatMessages.values()].some(
					(m) => m.taskId === taskId && m.text === 'e2e says hello',
				),
				`${id}: the chat message reached the task's chat`,
			);
			const [deleted] = out(run, 'Delete').map((i) => i.json);
			const [again] = out(run, 'Delete again').map((i) => i.json);
			check(
				deleted?.deleted === true &&
					!tasks().some((t) => t.id === taskId) &&
					again?.code === 'BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION' &&
					again?.httpCode === 403,
				`${id}: Delete removes the task; deleting it again is an error item { error, code, httpCode }`,
				{ deleted, again },
			);
			return true;
		}
		default:
			return false;
	}
}
