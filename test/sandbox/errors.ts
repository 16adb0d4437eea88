// Error bodies (reference §6). Methods throw ApiError; the server turns it into a response.

export const V3_PREFIX = 'BITRIX_REST_V3_EXCEPTION_';

export interface ValidationItem {
	field?: string;
	message: string;
}

export class ApiError extends Error {
	readonly status: number;
	readonly body: unknown;

	constructor(status: number, body: unknown) {
		super(`sandbox api error ${status}`);
		this.status = status;
		this.body = body;
	}
}

export function v2Error(status: number, code: string, description: string): ApiError {
	return new ApiError(status, { error: code, error_description: description });
}

export function v3Error(
	status: number,
	codeSuffix: string,
	message: string,
	validation?: ValidationItem[],
): ApiError {
	const error: Record<string, unknown> = { code: V3_PREFIX + codeSuffix, message };
	if (validation) error.validation = validation;
	return new ApiError(status, { error });
}

// ---- classic (v2) ----
export const v2 = {
	methodNotFound: () => v2Error(404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!'),
	noAuth: () => v2Error(401, 'NO_AUTH_FOUND', 'Wrong authorization data'),
	invalidToken: () => v2Error(401, 'invalid_token', 'The access token provided is invalid.'),
	expiredToken: () => v2Error(401, 'expired_token', 'The access token provided has expired.'),
	insufficientScope: () =>
		v2Error(
			403,
			'insufficient_scope',
			'The request requires higher privileges than provided by the webhook token',
		),
	// §5.1: the v3 body of QUERY_LIMIT_EXCEEDED is UNCONFIRMED; the sandbox sends this v2 body on both APIs.
	queryLimit: () => v2Error(503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests'),
	operationTimeLimit: () =>
		v2Error(429, 'OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.'),
	taskNotAccessible: () =>
		v2Error(
			400,
			'ERROR_CORE',
			'TASKS_ERROR_EXCEPTION_#8; Task not found or not accessible; 8/TE/TASK_NOT_FOUND_OR_NOT_ACCESSIBLE<br>',
		),
	accessDenied0: () => v2Error(400, '0', 'Access denied.'),
	commentNotFound: () => v2Error(400, '0', 'Comment not found.'),
	resultExists: () => v2Error(400, '0', 'Result already exists.'),
	invalidInt: (value: unknown, param: string) =>
		v2Error(
			400,
			'100',
			`Invalid value ${String(value)} to match with parameter {${param}}. Should be value of type int.`,
		),
	batchLength: () => ({
		error: 'ERROR_BATCH_LENGTH_EXCEEDED',
		error_description: 'Max batch length exceeded',
	}),
	batchMethodNotAllowed: () => ({
		error: 'ERROR_BATCH_METHOD_NOT_ALLOWED',
		error_description: 'Method is not allowed for batch usage',
	}),
};

// ---- REST v3 ----
export const v3 = {
	requestValidation: (validation?: ValidationItem[]) =>
		v3Error(
			400,
			'VALIDATION_REQUESTVALIDATIONEXCEPTION',
			'Error validating request object.',
			validation,
		),
	dtoValidation: (validation: ValidationItem[]) =>
		v3Error(400, 'VALIDATION_DTOVALIDATIONEXCEPTION', 'Error validating object.', validation),
	// message of REQUESTFILTERVALIDATION is not documented (assumed)
	filterValidation: (validation: ValidationItem[]) =>
		v3Error(
			400,
			'VALIDATION_REQUESTFILTERVALIDATIONEXCEPTION',
			'Error validating request filter.',
			validation,
		),
	accessDenied: (status = 403, field?: string) =>
		v3Error(
			status,
			'ACCESSDENIEDEXCEPTION',
			'Access denied.',
			field ? [{ field, message: 'Access denied' }] : undefined,
		),
	insufficientScope: () =>
		v3Error(
			403,
			'INSUFFICIENTSCOPEEXCEPTION',
			'The request requires higher privileges than provided by the webhook token',
		),
	methodNotFound: (method: string) =>
		v3Error(404, 'METHODNOTFOUNDEXCEPTION', `Method "${method}" was not found.`),
	invalidJson: () => v3Error(400, 'INVALIDJSONEXCEPTION', 'Invalid JSON.'),
	wrongVerb: () =>
		v3Error(400, 'WRONGHTTPREQUESTMETHODEXCEPTION', 'Only POST requests are allowed'),
	invalidFilter: (what: string) =>
		v3Error(400, 'INVALIDFILTEREXCEPTION', `Invalid filter "${what}".`),
	unknownOperator: (op: string) =>
		v3Error(400, 'UNKNOWNFILTEROPERATOREXCEPTION', `Unknown filter operator "${op}".`),
	unknownProperty: (field: string, dto = 'ResultDto') =>
		v3Error(400, 'UNKNOWNDTOPROPERTYEXCEPTION', `Unknown field \`${field}\` for entity \`${dto}\``),
	// docs: "Record with ID = `2` not found" (tasks.task.get); 400, not 404 (reference tasks-v3 §1)
	entityNotFound: (id: number) =>
		v3Error(400, 'ENTITYNOTFOUNDEXCEPTION', `Record with ID = \`${id}\` not found`),
	// code from the exception class (reference tasks-v3 §3.7); the message is not documented (assumed)
	fieldNotFound: (name: string) =>
		new ApiError(404, {
			error: {
				code: 'BITRIX_REST_V3_REALISATION_EXCEPTION_FIELDNOTFOUNDEXCEPTION',
				message: `Field \`${name}\` not found`,
			},
		}),
	invalidPagination: (param: string) =>
		v3Error(400, 'INVALIDPAGINATIONEXCEPTION', `Invalid pagination parameter "${param}".`),
	invalidOrder: (what: string) =>
		v3Error(400, 'INVALIDORDEREXCEPTION', `Invalid sort order "${what}".`),
	invalidSelect: (what: string) =>
		v3Error(400, 'INVALIDSELECTEXCEPTION', `Invalid select: ${what}`),
	rateLimit: () =>
		v3Error(429, 'RATELIMITEXCEPTION', 'Request was blocked because the limit was exceeded.'),
	// messages of the two idempotency errors are not documented (assumed)
	invalidIdempotencyKey: () =>
		v3Error(
			400,
			'INVALIDIDEMPOTENCYKEYEXCEPTION',
			'Idempotency-Key must be 1-255 printable ASCII characters.',
		),
	idempotencyKeyReused: () =>
		v3Error(
			422,
			'IDEMPOTENCYKEYREUSEDEXCEPTION',
			'Idempotency-Key was already used with a different request body.',
		),
	// server cap of v3 batch is UNCONFIRMED (§7.2); code taken from the v2 system table, wrapped in a v3 body
	batchLength: () =>
		new ApiError(400, {
			error: { code: 'ERROR_BATCH_LENGTH_EXCEEDED', message: 'Max batch length exceeded' },
		}),
};
