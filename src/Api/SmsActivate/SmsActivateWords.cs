namespace Pool.Api.SmsActivate;

/// <summary>
/// The answer words of the sms-activate handler_api protocol, spelt as its public documentation spells
/// them (sms-activate.org/en/api2). A word is the whole body of an HTTP 200 answer, or its first part
/// before ':' and a value.
/// </summary>
public static class SmsActivateWords
{
    // Answers.
    public const string AccessNumber = "ACCESS_NUMBER";
    public const string AccessBalance = "ACCESS_BALANCE";
    public const string AccessReady = "ACCESS_READY";
    public const string AccessRetryGet = "ACCESS_RETRY_GET";
    public const string AccessActivation = "ACCESS_ACTIVATION";
    public const string AccessCancel = "ACCESS_CANCEL";
    public const string StatusWaitCode = "STATUS_WAIT_CODE";
    public const string StatusWaitRetry = "STATUS_WAIT_RETRY";
    public const string StatusWaitResend = "STATUS_WAIT_RESEND";
    public const string StatusOk = "STATUS_OK";
    public const string StatusCancel = "STATUS_CANCEL";

    // Errors.
    public const string BadKey = "BAD_KEY";
    public const string BadAction = "BAD_ACTION";
    public const string BadService = "BAD_SERVICE";
    public const string BadStatus = "BAD_STATUS";
    public const string BadCountry = "BAD_COUNTRY";
    public const string NoNumbers = "NO_NUMBERS";
    public const string NoBalance = "NO_BALANCE";
    public const string NoActivation = "NO_ACTIVATION";
    public const string NoActivations = "NO_ACTIVATIONS";
    public const string EarlyCancelDenied = "EARLY_CANCEL_DENIED";
    public const string WrongMaxPrice = "WRONG_MAX_PRICE";
    public const string WrongExceptionPhone = "WRONG_EXCEPTION_PHONE";
    public const string Banned = "BANNED";
    public const string ErrorSql = "ERROR_SQL";
}
