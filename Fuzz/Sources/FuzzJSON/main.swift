import CFuzzDriver
import Foundation

// libFuzzer drives the process; each input goes to fuzzJSON (FuzzJSON.swift).
var arguments = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argv) { data, count in fuzzJSON(data, count) })
