namespace Pool.Sms.Otp;

/// <summary>What a verification SMS carries: the one-time code and the service that sent it; either may be absent.</summary>
/// <param name="Code">The code exactly as the user would type it (split forms joined, "G-" prefixes dropped), or null.</param>
/// <param name="Service">The sender's brand ("京东", "WhatsApp", a WebOTP domain), or null.</param>
public sealed record OtpMatch(string? Code, string? Service);
