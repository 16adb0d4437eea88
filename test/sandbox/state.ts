// In-memory portal data (users, tasks, chat messages, task results) and seeding.
import type { ChatMessageRecord, ResultRecord, SeedData, TaskRecord, UserRecord } from './types';

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

export class Store {
	readonly users = new Map<number, UserRecord>();
	readonly tasks = new Map<number, TaskRecord>();
	readonly results = new Map<number, ResultRecord>();
	readonly chatMessages = new Map<number, ChatMessageRecord>();
	private nextResultId = 1;

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
			});
		}
		for (const t of data.tasks ?? []) {
			this.tasks.set(t.id, {
				id: t.id,
				title: t.title,
				memberIds: t.memberIds ?? [1],
				groupId: t.groupId ?? 0,
				chatId: t.chatId ?? null,
				status: t.status ?? 2,
				responsibleId: t.responsibleId ?? (t.memberIds ?? [1])[0],
			});
		}
		for (const m of data.chatMessages ?? []) {
			this.chatMessages.set(m.id, { ...m });
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
			});
			if (id >= this.nextResultId) this.nextResultId = id + 1;
		}
	}

	/** next auto-increment id (max existing + 1, also if someone wrote into the map directly) */
	newResultId(): number {
		for (const id of this.results.keys()) if (id >= this.nextResultId) this.nextResultId = id + 1;
		return this.nextResultId++;
	}

	/** the task if it exists and the user is one of its members, else undefined */
	accessibleTask(userId: number, taskId: number): TaskRecord | undefined {
		const task = this.tasks.get(taskId);
		// Access = membership only (admins are not granted implicit access in the sandbox).
		return task && task.memberIds.includes(userId) ? task : undefined;
	}

	isAdmin(userId: number): boolean {
		return this.users.get(userId)?.admin === true;
	}

	user(userId: number): UserRecord {
		return (
			this.users.get(userId) ?? { id: userId, name: `User ${userId}`, lastName: '', admin: false }
		);
	}
}
