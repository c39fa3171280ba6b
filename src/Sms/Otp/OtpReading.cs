namespace Pool.Sms.Otp;

/// <summary>What the extractor read in an SMS and why, for an operator: the code, the service, and the rule that decided.</summary>
/// <param name="Code">The code as the user would type it (ASCII digits, split forms joined, "G-" prefixes dropped), or null.</param>
/// <param name="Service">The sender's brand ("京东", "WhatsApp", a WebOTP domain), or null.</param>
/// <param name="Why">The code word or rule that took the code, or why none was taken ("no code: after 'card'"); never the code itself.</param>
public sealed record OtpReading(string? Code, string? Service, string Why);
