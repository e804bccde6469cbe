execute_process(COMMAND ${WEAKLINK} --print-parameters OUTPUT_VARIABLE printed RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "weaklink --print-parameters failed")
endif()
file(READ ${REFERENCE} reference)
if(NOT printed STREQUAL reference)
  message(FATAL_ERROR "doc/parameters.prm is out of date: regenerate it with "
                      "'build/weaklink --print-parameters > doc/parameters.prm'")
endif()
