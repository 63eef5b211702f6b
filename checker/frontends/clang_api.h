/* SPDX-License-Identifier: MIT */
/*
 * libclang, loaded when the first C source is read.  Linking it would make
 * every run of mtcheck map and relocate libclang and LLVM (tens of
 * megabytes) before reading even a BTF file; loading it on demand keeps the
 * object and BTF paths as light as pahole.  The front end calls libclang
 * through this table under the functions' own names.
 */
#ifndef MTCHECK_CLANG_API_H
#define MTCHECK_CLANG_API_H

#include <stdbool.h>

#include <clang-c/CXCompilationDatabase.h>
#include <clang-c/Index.h>

#include "mtcheck/error.h"

#define MTC_CLANG_FUNCTIONS(X) \
	X(clang_CompilationDatabase_dispose) \
	X(clang_CompilationDatabase_fromDirectory) \
	X(clang_CompilationDatabase_getCompileCommands) \
	X(clang_CompileCommand_getArg) \
	X(clang_CompileCommand_getDirectory) \
	X(clang_CompileCommand_getNumArgs) \
	X(clang_CompileCommands_dispose) \
	X(clang_CompileCommands_getCommand) \
	X(clang_CompileCommands_getSize) \
	X(clang_Cursor_getOffsetOfField) \
	X(clang_Cursor_isAnonymous) \
	X(clang_Cursor_isAnonymousRecordDecl) \
	X(clang_Cursor_isBitField) \
	X(clang_Location_isInSystemHeader) \
	X(clang_Type_getAlignOf) \
	X(clang_Type_getSizeOf) \
	X(clang_Type_visitFields) \
	X(clang_createIndex) \
	X(clang_disposeDiagnostic) \
	X(clang_disposeIndex) \
	X(clang_disposeString) \
	X(clang_disposeTranslationUnit) \
	X(clang_equalCursors) \
	X(clang_equalLocations) \
	X(clang_formatDiagnostic) \
	X(clang_getArraySize) \
	X(clang_getCString) \
	X(clang_getCanonicalType) \
	X(clang_getCursorExtent) \
	X(clang_getCursorKind) \
	X(clang_getCursorLocation) \
	X(clang_getCursorSpelling) \
	X(clang_getCursorType) \
	X(clang_getDiagnostic) \
	X(clang_getDiagnosticSeverity) \
	X(clang_getDiagnosticSpelling) \
	X(clang_getElementType) \
	X(clang_getEnumDeclIntegerType) \
	X(clang_getExpansionLocation) \
	X(clang_getFieldDeclBitWidth) \
	X(clang_getFileName) \
	X(clang_getNumDiagnostics) \
	X(clang_getNumElements) \
	X(clang_getPointeeType) \
	X(clang_getRangeStart) \
	X(clang_getTranslationUnitCursor) \
	X(clang_getTypeDeclaration) \
	X(clang_getTypeSpelling) \
	X(clang_getTypedefDeclUnderlyingType) \
	X(clang_isConstQualifiedType) \
	X(clang_isCursorDefinition) \
	X(clang_isRestrictQualifiedType) \
	X(clang_isVolatileQualifiedType) \
	X(clang_parseTranslationUnit2) \
	X(clang_visitChildren)

struct mtc_clang_api {
#define MTC_CLANG_POINTER(name) __typeof__(&name) name;
	MTC_CLANG_FUNCTIONS(MTC_CLANG_POINTER)
#undef MTC_CLANG_POINTER
};

extern struct mtc_clang_api mtc_clang_api;

/* Load libclang once; 0, or an error naming the library and why. */
int mtc_clang_open(struct mtc_error *err);
/* @s as a malloc'd C string (NULL when out of memory), @s disposed of. */
char *mtc_cxstr(CXString s);

/* From here on, the names call through the table. */
#ifndef MTC_CLANG_NO_RENAME
#define clang_CompilationDatabase_dispose (mtc_clang_api.clang_CompilationDatabase_dispose)
#define clang_CompilationDatabase_fromDirectory (mtc_clang_api.clang_CompilationDatabase_fromDirectory)
#define clang_CompilationDatabase_getCompileCommands (mtc_clang_api.clang_CompilationDatabase_getCompileCommands)
#define clang_CompileCommand_getArg (mtc_clang_api.clang_CompileCommand_getArg)
#define clang_CompileCommand_getDirectory (mtc_clang_api.clang_CompileCommand_getDirectory)
#define clang_CompileCommand_getNumArgs (mtc_clang_api.clang_CompileCommand_getNumArgs)
#define clang_CompileCommands_dispose (mtc_clang_api.clang_CompileCommands_dispose)
#define clang_CompileCommands_getCommand (mtc_clang_api.clang_CompileCommands_getCommand)
#define clang_CompileCommands_getSize (mtc_clang_api.clang_CompileCommands_getSize)
#define clang_Cursor_getOffsetOfField (mtc_clang_api.clang_Cursor_getOffsetOfField)
#define clang_Cursor_isAnonymous (mtc_clang_api.clang_Cursor_isAnonymous)
#define clang_Cursor_isAnonymousRecordDecl (mtc_clang_api.clang_Cursor_isAnonymousRecordDecl)
#define clang_Cursor_isBitField (mtc_clang_api.clang_Cursor_isBitField)
#define clang_Location_isInSystemHeader (mtc_clang_api.clang_Location_isInSystemHeader)
#define clang_Type_getAlignOf (mtc_clang_api.clang_Type_getAlignOf)
#define clang_Type_getSizeOf (mtc_clang_api.clang_Type_getSizeOf)
#define clang_Type_visitFields (mtc_clang_api.clang_Type_visitFields)
#define clang_createIndex (mtc_clang_api.clang_createIndex)
#define clang_disposeDiagnostic (mtc_clang_api.clang_disposeDiagnostic)
#define clang_disposeIndex (mtc_clang_api.clang_disposeIndex)
#define clang_disposeString (mtc_clang_api.clang_disposeString)
#define clang_disposeTranslationUnit (mtc_clang_api.clang_disposeTranslationUnit)
#define clang_equalCursors (mtc_clang_api.clang_equalCursors)
#define clang_equalLocations (mtc_clang_api.clang_equalLocations)
#define clang_formatDiagnostic (mtc_clang_api.clang_formatDiagnostic)
#define clang_getArraySize (mtc_clang_api.clang_getArraySize)
#define clang_getCString (mtc_clang_api.clang_getCString)
#define clang_getCanonicalType (mtc_clang_api.clang_getCanonicalType)
#define clang_getCursorExtent (mtc_clang_api.clang_getCursorExtent)
#define clang_getCursorKind (mtc_clang_api.clang_getCursorKind)
#define clang_getCursorLocation (mtc_clang_api.clang_getCursorLocation)
#define clang_getCursorSpelling (mtc_clang_api.clang_getCursorSpelling)
#define clang_getCursorType (mtc_clang_api.clang_getCursorType)
#define clang_getDiagnostic (mtc_clang_api.clang_getDiagnostic)
#define clang_getDiagnosticSeverity (mtc_clang_api.clang_getDiagnosticSeverity)
#define clang_getDiagnosticSpelling (mtc_clang_api.clang_getDiagnosticSpelling)
#define clang_getElementType (mtc_clang_api.clang_getElementType)
#define clang_getEnumDeclIntegerType (mtc_clang_api.clang_getEnumDeclIntegerType)
#define clang_getExpansionLocation (mtc_clang_api.clang_getExpansionLocation)
#define clang_getFieldDeclBitWidth (mtc_clang_api.clang_getFieldDeclBitWidth)
#define clang_getFileName (mtc_clang_api.clang_getFileName)
#define clang_getNumDiagnostics (mtc_clang_api.clang_getNumDiagnostics)
#define clang_getNumElements (mtc_clang_api.clang_getNumElements)
#define clang_getPointeeType (mtc_clang_api.clang_getPointeeType)
#define clang_getRangeStart (mtc_clang_api.clang_getRangeStart)
#define clang_getTranslationUnitCursor (mtc_clang_api.clang_getTranslationUnitCursor)
#define clang_getTypeDeclaration (mtc_clang_api.clang_getTypeDeclaration)
#define clang_getTypeSpelling (mtc_clang_api.clang_getTypeSpelling)
#define clang_getTypedefDeclUnderlyingType (mtc_clang_api.clang_getTypedefDeclUnderlyingType)
#define clang_isConstQualifiedType (mtc_clang_api.clang_isConstQualifiedType)
#define clang_isCursorDefinition (mtc_clang_api.clang_isCursorDefinition)
#define clang_isRestrictQualifiedType (mtc_clang_api.clang_isRestrictQualifiedType)
#define clang_isVolatileQualifiedType (mtc_clang_api.clang_isVolatileQualifiedType)
#define clang_parseTranslationUnit2 (mtc_clang_api.clang_parseTranslationUnit2)
#define clang_visitChildren (mtc_clang_api.clang_visitChildren)

#endif
struct mtc_model;

/*
 * Fill @m with the records of the parsed unit @tu (clang_model.c); records
 * declared in system headers only when @system_headers.  0, or a negative
 * errno with @err set naming @input.
 */
int mtc_clang_fill_model(CXTranslationUnit tu, struct mtc_model *m, const char *input,
			 bool system_headers, struct mtc_error *err);

#endif
