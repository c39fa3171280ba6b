namespace Pool.Sms.Otp;

/// <summary>What a word tells the extractor; a word may be several of these at once.</summary>
[Flags]
internal enum Lex : ushort
{
    None = 0,

    /// <summary>Names a code the user types: "code", "kod", "رمز", "验证码".</summary>
    Code = 1 << 0,

    /// <summary>Names a one-time code beyond doubt ("OTP", "passcode", "验证码", "TAN"); a plain "code" may be a promotion's.</summary>
    Strong = 1 << 1,

    /// <summary>Makes a code word next to it another kind of code: promotion, discount, referral, postal, tracking, reference.</summary>
    NotOtp = 1 << 2,

    /// <summary>Names what the number right after it is (card, account, order, reference, ID, phone, ticket): that number is no code.</summary>
    Label = 1 << 3,

    /// <summary>Says the message is about signing in or confirming (verify, log in, expires, do not share).</summary>
    Intent = 1 << 4,

    /// <summary>Says the message sells something (sale, % off, coupon, unsubscribe).</summary>
    Marketing = 1 << 5,

    /// <summary>A currency or unit: a number next to it is an amount.</summary>
    Currency = 1 << 6,

    /// <summary>"no", "nr", "number", "número": the word before it says what the number is.</summary>
    NumberWord = 1 << 7,

    /// <summary>A short word between a code word and the code ("is", "es", "é", "lautet", "adalah", "là").</summary>
    Connector = 1 << 8,

    /// <summary>Says how long something is valid ("valid", "expires", "有效", "berlaku"): a code's message says it, and so does a sale's.</summary>
    Validity = 1 << 9,

    /// <summary>An opt-out word ("STOP", "txt", "unsubscribe", "退订"): marketing says it, and so do some code messages.</summary>
    OptOut = 1 << 10,

    /// <summary>Says a code is spent ("earlier", "no longer valid", "expired", "abgelaufen"): a code in its sentence is not the one to type.</summary>
    Stale = 1 << 11,
}
