// In-memory portal data (users, tasks, chat messages, task results) and seeding.
import type {
	ChatMessageRecord,
	CommentRecord,
	GroupRecord,
	ResultRecord,
	SeedData,
	TaskRecord,
	TaskSeed,
	TaskUserFieldRecord,
	UserRecord,
} from './types';

/** ISO 8601 with an explicit offset, e.g. 2026-11-29T10:00:00+00:00 */
export function isoWithOffset(ms: number = Date.now()): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/**
 * User 1 (the default webhook) is an ordinary user: it may delete only its own results, as most
 * webhook users can. User 9 is a portal administrator (reference §9: admins may delete any result).
 */
export const DEFAULT_USERS: NonNullable<SeedData['users']> = [
	{ id: 1, name: 'Owner' },
	{ id: 2, name: 'Second' },
	{ id: 9, name: 'Admin', admin: true },
];

function seedTime(v: string | number | null | undefined, fallback: number | null): number | null {
	if (v === undefined) return fallback;
	if (v === null) return null;
	return typeof v === 'number' ? v : Date.parse(v);
}

/** creator, responsible, accomplices, auditors and extra members, without duplicates */
export function taskMembers(t: Omit<TaskRecord, 'memberIds'>, extra: number[] = []): number[] {
	return [...new Set([t.createdBy, t.responsibleId, ...t.accomplices, ...t.auditors, ...extra])];
}

function taskFromSeed(t: TaskSeed): TaskRecord {
	const createdBy = t.createdBy ?? t.memberIds?.[0] ?? 1;
	const now = Date.now();
	const created = seedTime(t.created, now) ?? now;
	const status = t.status ?? 2;
	const rec: Omit<TaskRecord, 'memberIds'> = {
		id: t.id,
		title: t.title,
		groupId: t.groupId ?? 0,
		chatId: t.chatId ?? null,
		status,
		description: t.description ?? '',
		createdBy,
		responsibleId: t.responsibleId ?? createdBy,
		accomplices: [...(t.accomplices ?? [])],
		auditors: [...(t.auditors ?? [])],
		deadline: seedTime(t.deadline, null),
		startPlan: seedTime(t.startPlan, null),
		endPlan: seedTime(t.endPlan, null),
		priority: t.priority ?? 'average',
		parentId: t.parentId ?? null,
		created,
		changed: seedTime(t.changed, created) ?? created,
		closed: seedTime(t.closed, status === 5 ? created : null),
		changedBy: createdBy,
		statusChanged: null,
		needsControl: false,
		allowsChangeDeadline: false,
		allowsTimeTracking: false,
		estimatedTime: 0,
		crmItemIds: [],
		fileIds: [],
		tags: [...(t.tags ?? [])],
		uf: { ...(t.uf ?? {}) },
		extra: {},
	};
	return { ...rec, memberIds: taskMembers(rec, t.memberIds ?? []) };
}

export class Store {
	readonly users = new Map<number, UserRecord>();
	readonly tasks = new Map<number, TaskRecord>();
	readonly results = new Map<number, ResultRecord>();
	readonly chatMessages = new Map<number, ChatMessageRecord>();
	readonly comments = new Map<number, CommentRecord>();
	readonly groups = new Map<number, GroupRecord>();
	/** by FIELD_NAME */
	readonly taskUserFields = new Map<string, TaskUserFieldRecord>();
	private nextResultId = 1;
	private lastTaskId = 100_000;

	constructor(seed?: SeedData) {
		if (!seed?.users) this.seed({ users: DEFAULT_USERS });
		if (seed) this.seed(seed);
	}

	seed(data: SeedData): void {
		for (const u of data.users ?? []) {
			this.users.set(u.id, {
				id: u.id,
				name: u.name,
				lastName: u.lastName ?? '',
				admin: u.admin ?? false,
				email: u.email ?? '',
				workPosition: u.workPosition ?? '',
				active: u.active ?? true,
			});
		}
		for (const t of data.tasks ?? []) this.tasks.set(t.id, taskFromSeed(t));
		for (const g of data.groups ?? []) {
			const ownerId = g.ownerId ?? 1;
			this.groups.set(g.id, {
				id: g.id,
				name: g.name,
				description: g.description ?? '',
				ownerId,
				memberIds: [...new Set([ownerId, ...(g.memberIds ?? [])])],
				visible: g.visible ?? true,
				opened: g.opened ?? false,
				closed: g.closed ?? false,
				project: g.project ?? false,
				created: Date.now(),
			});
		}
		for (const f of data.taskUserFields ?? []) {
			this.taskUserFields.set(f.fieldName, {
				id: f.id ?? this.taskUserFields.size + 1,
				fieldName: f.fieldName,
				userTypeId: f.userTypeId,
				multiple: f.multiple ?? false,
				mandatory: f.mandatory ?? false,
				label: f.label ?? f.fieldName,
			});
		}
		for (const m of data.chatMessages ?? []) {
			this.chatMessages.set(m.id, { ...m });
		}
		for (const c of data.comments ?? []) {
			this.comments.set(c.id, { ...c, authorId: c.authorId ?? 1 });
		}
		for (const r of data.results ?? []) {
			const id = r.id ?? this.newResultId();
			this.results.set(id, {
				id,
				taskId: r.taskId,
				text: r.text,
				authorId: r.authorId ?? 1,
				createdAt: r.createdAt ?? isoWithOffset(),
				updatedAt: null,
				status: r.status ?? 'open',
				fileIds: [],
				messageId: r.messageId ?? null,
				...(r.commentId ? { commentId: r.commentId } : {}),
			});
			if (id >= this.nextResultId) this.nextResultId = id + 1;
		}
	}

	/** next auto-increment id (max existing + 1, also if someone wrote into the map directly) */
	newResultId(): number {
		for (const id of this.results.keys()) if (id >= this.nextResultId) this.nextResultId = id + 1;
		return this.nextResultId++;
	}

	/**
	 * Id of a task created through the API: an auto-increment from 100001 up that never reuses the id
	 * of a deleted task, and never lands in the ranges tests seed (ids below 100000, e.g. TaskSeeder's).
	 */
	newTaskId(): number {
		for (const id of this.tasks.keys()) if (id > this.lastTaskId) this.lastTaskId = id;
		return ++this.lastTaskId;
	}

	newChatMessageId(): number {
		let max = 0;
		for (const id of this.chatMessages.keys()) if (id > max) max = id;
		return max + 1;
	}

	/** next free task chat id */
	newChatId(): number {
		let max = 1000;
		for (const t of this.tasks.values()) if (t.chatId !== null && t.chatId > max) max = t.chatId;
		return max + 1;
	}

	/** the task if it exists and the user is one of its members, else undefined */
	accessibleTask(userId: number, taskId: number): TaskRecord | undefined {
		const task = this.tasks.get(taskId);
		// Access = membership of the task or of its workgroup (admins are not granted implicit access here).
		if (!task) return undefined;
		if (task.memberIds.includes(userId)) return task;
		const group = task.groupId > 0 ? this.groups.get(task.groupId) : undefined;
		return group?.memberIds.includes(userId) ? task : undefined;
	}

	isAdmin(userId: number): boolean {
		return this.users.get(userId)?.admin === true;
	}

	user(userId: number): UserRecord {
		return (
			this.users.get(userId) ?? {
				id: userId,
				name: `User ${userId}`,
				lastName: '',
				admin: false,
				email: '',
				workPosition: '',
				active: true,
			}
		);
	}
}
