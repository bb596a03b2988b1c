// Filled in by the protocol work; see Scripts/fuzz.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONCommand(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 { 0 }
