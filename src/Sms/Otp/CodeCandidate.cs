namespace Pool.Sms.Otp;

/// <summary>A run of text that looks like a code: where it stands and the code it would give.</summary>
internal readonly record struct CodeCandidate(int Start, int End, string Code, bool Alphanumeric);
