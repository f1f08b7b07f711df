namespace EdgeLowRank.Fuzz;

/// <summary>Marsaglia's xorshift32: values that depend on nothing but the seed, cheap enough for every execution.</summary>
internal struct XorShift(uint seed)
{
    private uint _state = seed | 1; // never zero, which would stay zero

    /// <summary>A float in [-1, 1), on a 2^-23 grid.</summary>
    public float NextFloat()
    {
        _state ^= _state << 13;
        _state ^= _state >> 17;
        _state ^= _state << 5;
        return (_state >> 8) * (2f / (1 << 24)) - 1;
    }
}
