namespace EdgeLowRank.Runtime.Native;

/// <summary>elr_status of include/elr.h: what a call of the C API did. The values are the header's.</summary>
internal enum Status
{
    /// <summary>ELR_OK.</summary>
    Ok = 0,
    /// <summary>ELR_INVALID_ARGUMENT: a null pointer, a batch size below 1, a buffer of the wrong length.</summary>
    InvalidArgument = 1,
    /// <summary>ELR_INVALID_MODEL: not a valid .elr model, or one that needs a newer runtime.</summary>
    InvalidModel = 2,
    /// <summary>ELR_FILE_ERROR: the model file cannot be read.</summary>
    FileError = 3,
    /// <summary>ELR_OUT_OF_MEMORY: the session's memory could not be allocated.</summary>
    OutOfMemory = 4,
    /// <summary>ELR_INTERNAL_ERROR: a bug in libelr.</summary>
    InternalError = 5,
}
