using System.Net;

namespace Pool.Carriers.Simulator;

/// <summary>One simulated SMSC: where it listens, the account it accepts, and how it answers.</summary>
public sealed class SmscSimulatorOptions
{
    /// <summary>The address to listen on; loopback unless set.</summary>
    public IPAddress ListenAddress { get; set; } = IPAddress.Loopback;

    /// <summary>The TCP port; 0 picks a free one (read it from <see cref="SmscSimulator.Port"/>).</summary>
    public int Port { get; set; }

    /// <summary>The system_id binds must present.</summary>
    public string SystemId { get; set; } = "pool";

    /// <summary>The password binds must present.</summary>
    public string Password { get; set; } = "secret";

    /// <summary>The simulator's own id, returned in bind_resp.</summary>
    public string SmscSystemId { get; set; } = "POOLSIM";

    /// <summary>How long after accepting a message its delivery receipt is sent.</summary>
    public TimeSpan ReceiptDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Seeds the random source behind fault rates and message references; null for a random seed.</summary>
    public int? Seed { get; set; }

    /// <summary>
    /// Whether the receipt text writes the message id in decimal while submit_sm_resp gives it in hex,
    /// as many real SMSCs do (the receipted_message_id TLV keeps the hex form).
    /// </summary>
    public bool DecimalIdInReceiptText { get; set; } = true;

    /// <summary>Whether receipts carry the receipted_message_id and message_state TLVs.</summary>
    public bool ReceiptTlvs { get; set; } = true;

    /// <summary>How long the simulator waits for an ESME to answer a deliver_sm.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Every problem, each naming the setting; empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Port is < 0 or > 65535)
        {
            problems.Add($"{nameof(Port)} must be 0–65535; it is {Port}.");
        }

        if (string.IsNullOrEmpty(SystemId) || SystemId.Length > 15)
        {
            problems.Add($"{nameof(SystemId)} must be 1–15 characters.");
        }

        if (Password is null || Password.Length > 8)
        {
            problems.Add($"{nameof(Password)} must be at most 8 characters.");
        }

        if (string.IsNullOrEmpty(SmscSystemId) || SmscSystemId.Length > 15)
        {
            problems.Add($"{nameof(SmscSystemId)} must be 1–15 characters.");
        }

        if (ReceiptDelay < TimeSpan.Zero)
        {
            problems.Add($"{nameof(ReceiptDelay)} must not be negative; it is {ReceiptDelay}.");
        }

        if (ResponseTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{nameof(ResponseTimeout)} must be positive; it is {ResponseTimeout}.");
        }

        return problems;
    }
}
