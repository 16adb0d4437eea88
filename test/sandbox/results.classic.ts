// Classic (v2) task result methods (reference §3, §9, §11): list, addFromComment, deleteFromComment.
import { v2 } from './errors';
import { param, toIntV2, type Obj } from './params';
import type { MethodContext } from './results.v3';
import { isoWithOffset } from './state';
import type { CommentRecord, ResultRecord } from './types';

interface ClassicOutput {
	result: unknown;
}

const escapeHtml = (text: string) =>
	text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br />');

/**
 * One classic result row (§3). `commentId` is 0 for a result of the new task card (§11). Whether ids
 * come back as numbers or numeric strings is UNCONFIRMED: the sandbox sends numbers.
 */
function classicRow(r: ResultRecord, files: 'list' | 'add'): Obj {
	return {
		id: r.id,
		taskId: r.taskId,
		commentId: r.commentId ?? 0,
		createdBy: r.authorId,
		createdAt: r.createdAt,
		updatedAt: r.updatedAt,
		status: r.status === 'open' ? 0 : 1,
		text: r.text,
		formattedText: escapeHtml(r.text),
		files: files === 'add' ? null : [...r.fileIds],
	};
}

function intParam(p: Obj, name: string): number {
	const raw = param(p, name);
	const value = toIntV2(raw);
	if (value === undefined) throw v2.invalidInt(raw ?? '', name);
	return value;
}

/** `tasks.task.result.list`: every result of the task, newest first, no paging (§3, §11). */
function list(ctx: MethodContext, p: Obj): ClassicOutput {
	const taskId = intParam(p, 'taskId');
	// no access and a task that does not exist give the same answer (§3)
	if (!ctx.store.accessibleTask(ctx.userId, taskId)) throw v2.accessDenied0();
	const rows = [...ctx.store.results.values()]
		.filter((r) => r.taskId === taskId)
		.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id)
		.map((r) => classicRow(r, 'list'));
	return { result: rows };
}

/** The comment, when the caller may pin or unpin it: its own (admins: any) on a task it can open. */
function ownComment(ctx: MethodContext, p: Obj): CommentRecord {
	const comment = ctx.store.comments.get(intParam(p, 'commentId'));
	if (!comment) throw v2.commentNotFound();
	if (!ctx.store.accessibleTask(ctx.userId, comment.taskId)) throw v2.accessDenied0();
	if (comment.authorId !== ctx.userId && !ctx.store.isAdmin(ctx.userId)) throw v2.accessDenied0();
	return comment;
}

/** `tasks.task.result.addFromComment`: pins a comment as the task's result; one open result per comment. */
function addFromComment(ctx: MethodContext, p: Obj): ClassicOutput {
	const comment = ownComment(ctx, p);
	const pinned = [...ctx.store.results.values()].filter((r) => r.commentId === comment.id);
	// a comment with an open result cannot be pinned again; a closed one can (§3)
	if (pinned.some((r) => r.status === 'open')) throw v2.resultExists();
	const id = ctx.store.newResultId();
	const record: ResultRecord = {
		id,
		taskId: comment.taskId,
		text: comment.text,
		authorId: comment.authorId,
		createdAt: isoWithOffset(),
		updatedAt: null,
		status: 'open',
		fileIds: [],
		messageId: null,
		commentId: comment.id,
	};
	ctx.store.results.set(id, record);
	return { result: classicRow(record, 'add') };
}

/**
 * `tasks.task.result.deleteFromComment`: really deletes the comment's results (§9, server source;
 * the docs say "unpins"); the comment stays. Its answer for a comment without a result is
 * UNCONFIRMED: the sandbox answers `null` as for a deleted one.
 */
function deleteFromComment(ctx: MethodContext, p: Obj): ClassicOutput {
	const comment = ownComment(ctx, p);
	for (const [id, r] of ctx.store.results)
		if (r.commentId === comment.id) ctx.store.results.delete(id);
	return { result: null };
}

export const CLASSIC_RESULT_METHODS = {
	'tasks.task.result.list': { scope: 'task', run: list },
	'tasks.task.result.addfromcomment': { scope: 'task', run: addFromComment },
	'tasks.task.result.deletefromcomment': { scope: 'task', run: deleteFromComment },
};
